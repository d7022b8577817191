package io.seckill.stock.release;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: the ceiling doubles from {@code baseMillis} per attempt up
 * to {@code capMillis}, and the pause is drawn uniformly from the upper half of that ceiling. The
 * cap bounds how long work waits after the failure has passed; the jitter keeps many consumers
 * that failed together from retrying together; the lower half is left out so a long outage is
 * not hammered by near-zero draws.
 */
record Backoff(long baseMillis, long capMillis) {

  Backoff {
    if (baseMillis < 1 || capMillis < baseMillis) {
      throw new IllegalArgumentException("need 1 <= base <= cap, got " + baseMillis + ", " + capMillis);
    }
  }

  /** The pause before retry number {@code attempt} (0 for the first retry). */
  long pauseMillis(int attempt) {
    long ceiling = baseMillis;
    for (int i = 0; i < attempt && ceiling < capMillis; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, capMillis);
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }
}
