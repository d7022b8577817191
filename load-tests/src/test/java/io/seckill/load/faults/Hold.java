package io.seckill.load.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one place the suite lets time pass on purpose: a fault is held for its stated duration and
 * the load runs for its stated time. Nothing waits here for a condition (conditions are polled
 * with a deadline); a hold ends early only when the suite is interrupted (Ctrl-C), so the
 * shutdown hook can restore the stack at once.
 */
final class Hold {

  /** Thrown out of a hold when the suite was interrupted. */
  static final class Interrupted extends RuntimeException {
    Interrupted() {
      super("the fault suite was interrupted");
    }
  }

  private final CountDownLatch interrupted = new CountDownLatch(1);

  /** Returns at {@code deadline}, or throws {@link Interrupted} as soon as the suite is interrupted. */
  void until(Instant deadline) {
    long millis = Duration.between(Instant.now(), deadline).toMillis();
    try {
      if (interrupted.await(Math.max(0, millis), TimeUnit.MILLISECONDS)) {
        throw new Interrupted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted();
    }
  }

  void hold(Duration duration) {
    until(Instant.now().plus(duration));
  }

  void interrupt() {
    interrupted.countDown();
  }

  boolean isInterrupted() {
    return interrupted.getCount() == 0;
  }
}
