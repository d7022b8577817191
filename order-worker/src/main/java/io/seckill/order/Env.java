package io.seckill.order;

import io.seckill.contracts.Tunables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Reads of single variables: a silly tunable is clamped with a warning, a non-number fails fast ({@link Tunables}). */
final class Env {

  private static final Logger log = LoggerFactory.getLogger(Env.class);

  private Env() {
  }

  static String string(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** A variable that is no longer read: say so once, so an operator does not think it still acts. */
  static void retired(Map<String, String> env, String name, String why) {
    if (env.get(name) != null) {
      log.warn("{} is set but no longer read: {}", name, why);
    }
  }

  static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
    return Tunables.integer(env, name, fallback, min, max, log::warn);
  }
}
