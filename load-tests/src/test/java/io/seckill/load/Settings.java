package io.seckill.load;

import io.seckill.testkit.LocalStack;

import java.time.Duration;
import java.util.function.Function;

/**
 * Every knob of the load tests is a system property with a default sized for a 2-core machine;
 * where the stack is comes from the same {@code SECKILL_*} environment as {@code ./seckill}
 * ({@link LocalStack}), unless a property overrides it.
 */
public final class Settings {

  private Settings() {
  }

  public static LocalStack stack() {
    return LocalStack.fromEnv();
  }

  public static String gatewayUrl() {
    return text("gatewayUrl", stack().gatewayUrl());
  }

  static String jwtSecret() {
    return text("jwtSecret", stack().jwtSecret());
  }

  public static String text(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public static int integer(String name, int fallback) {
    return number(name, fallback, Integer::parseInt, "an integer");
  }

  public static double decimal(String name, double fallback) {
    return number(name, fallback, Double::parseDouble, "a number");
  }

  /** The property parsed by {@code parse}; {@code fallback} when unset or blank; malformed fails the run. */
  private static <T> T number(String name, T fallback, Function<String, T> parse, String what) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return parse.apply(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + name + " must be " + what + ", got '" + value + "'");
    }
  }

  public static Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }
}
