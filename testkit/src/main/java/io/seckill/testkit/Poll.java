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
   * Between probes it backs off: 5 ms, doubling up to 200 ms.
   */
  public static <T> T until(Duration deadline, Callable<T> probe, Predicate<? super T> done) {
    return poll(deadline, probe, done, 5, 200);
  }

  /**
   * As {@link #until(Duration, Callable, Predicate)}, but pausing a fixed {@code interval} between
   * probes instead of backing off. This is for timing the moment something happens: the back-off's
   * pauses grow to 200 ms and would blur that moment, while a fixed pause of a few ms resolves it to
   * about the interval plus one probe's round trip without spinning. Reading {@code System.nanoTime()}
   * right after it returns gives the time of the probe that first saw {@code done}. To wait for an
   * outcome whose timing does not matter, use {@code until}.
   *
   * @param interval the pause after each probe that {@code done} rejects; at least 1 ms
   */
  public static <T> T untilEvery(Duration deadline, Duration interval, Callable<T> probe, Predicate<? super T> done) {
    long intervalMillis = interval.toMillis();
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("interval must be at least 1 ms: " + interval);
    }
    return poll(deadline, probe, done, intervalMillis, intervalMillis);
  }

  /** The one polling loop: the pause starts at {@code firstPauseMillis} and doubles up to {@code maxPauseMillis}. */
  private static <T> T poll(Duration deadline, Callable<T> probe, Predicate<? super T> done,
                            long firstPauseMillis, long maxPauseMillis) {
    long end = System.nanoTime() + deadline.toNanos();
    long pauseMillis = firstPauseMillis;
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
      pauseMillis = Math.min(pauseMillis * 2, maxPauseMillis);
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
