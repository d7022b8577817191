package io.seckill.contracts;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Numeric settings read from the environment, the same way in every service: unset or blank
 * takes the fallback, a malformed value fails start-up, a silly one is clamped into its range
 * and {@code warn} gets one line saying so.
 */
public final class Tunables {

  private Tunables() {
  }

  /** An {@code int} setting: a value beyond {@code int} is malformed, as {@link Integer#parseInt} says. */
  public static int integer(Map<String, String> env, String name, int fallback, int min, int max, Consumer<String> warn) {
    return (int) read(env, name, fallback, min, max, Integer::parseInt, warn);
  }

  /** A {@code long} setting. */
  public static long number(Map<String, String> env, String name, long fallback, long min, long max,
                            Consumer<String> warn) {
    return read(env, name, fallback, min, max, Long::parseLong, warn);
  }

  private static long read(Map<String, String> env, String name, long fallback, long min, long max,
                           ToLongFunction<String> parse, Consumer<String> warn) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    long value;
    try {
      value = parse.applyAsLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      long clamped = Math.max(min, Math.min(max, value));
      warn.accept(name + "=" + value + " is outside [" + min + ", " + max + "]; using " + clamped);
      return clamped;
    }
    return value;
  }
}
