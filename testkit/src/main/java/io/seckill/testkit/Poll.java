package io.seckill.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waiting in tests is polling with a deadline, never a bare sleep. */
public final class Poll {

  private Poll() {
  }

  /**
   * Calls {@code probe} until {@code done} accepts its value or {@code deadline} passes, then
   * returns the last value; the caller asserts on it, so a timeout shows what was last seen.
   */
  public static <T> T until(Duration deadline, Callable<T> probe, Predicate<? super T> done) {
    long end = System.nanoTime() + deadline.toNanos();
    long pauseMillis = 5;
    T last = null;
    Exception lastError = null;
    while (true) {
      try {
        last = probe.call();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() > end) {
        if (lastError != null) {
          throw new AssertionError("gave up after " + deadline + "; last error: " + lastError, lastError);
        }
        return last;
      }
      pause(pauseMillis);
      pauseMillis = Math.min(pauseMillis * 2, 200);
    }
  }

  /** Polls until the condition holds; fails with {@code what} if it never does. */
  public static void await(Duration deadline, String what, Callable<Boolean> condition) {
    await(deadline, what, condition, () -> null);
  }

  /**
   * As {@link #await(Duration, String, Callable)}; a timeout also reports {@code diagnosis}, read
   * at that moment (what the system under test was doing when the condition never came; null adds nothing).
   */
  public static void await(Duration deadline, String what, Callable<Boolean> condition,
                           java.util.function.Supplier<String> diagnosis) {
    Boolean ok = until(deadline, condition, Boolean.TRUE::equals);
    if (!Boolean.TRUE.equals(ok)) {
      String seen = diagnosis.get();
      throw new AssertionError("timed out after " + deadline + " waiting for: " + what + (seen == null ? "" : "; " + seen));
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the back-off between two probes, not a synchronisation point
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while polling", e);
    }
  }
}
