package io.seckill.stock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Reads integer settings: a malformed one fails start-up, a silly one is clamped with a warning. */
final class Env {

  private static final Logger LOG = LoggerFactory.getLogger(Env.class);

  private Env() {
  }

  static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      int clamped = Math.max(min, Math.min(max, value));
      LOG.warn("{}={} is outside [{}, {}]; using {}", name, value, min, max, clamped);
      return clamped;
    }
    return value;
  }
}
