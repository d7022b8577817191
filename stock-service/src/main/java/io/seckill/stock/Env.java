package io.seckill.stock;

import io.seckill.contracts.Tunables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Reads integer settings ({@link Tunables}): a malformed one fails start-up, a silly one is clamped with a warning. */
final class Env {

  private static final Logger LOG = LoggerFactory.getLogger(Env.class);

  private Env() {
  }

  static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
    return Tunables.integer(env, name, fallback, min, max, LOG::warn);
  }
}
