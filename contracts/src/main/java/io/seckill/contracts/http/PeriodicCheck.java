package io.seckill.contracts.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A readiness check that runs on a timer, never per probe: readiness is answered from the last
 * result, so a flood of {@code /health/ready} costs no call to Redis, MySQL or an upstream. One
 * check runs at a time: a check that hangs is not stacked on by the next tick.
 */
public final class PeriodicCheck {

  /** How often a dependency is checked. */
  public static final long PERIOD_MILLIS = 1_000;

  private PeriodicCheck() {
  }

  /**
   * Runs {@code check} now and every {@link #PERIOD_MILLIS} while {@code vertx} runs, handing each
   * outcome to {@code result} (a failed check is {@code false}).
   *
   * @return the timer id
   */
  public static long every(Vertx vertx, Supplier<Future<Boolean>> check, Consumer<Boolean> result) {
    AtomicBoolean inFlight = new AtomicBoolean();
    return vertx.setPeriodic(0, PERIOD_MILLIS, id -> {
      if (inFlight.compareAndSet(false, true)) {
        check.get().otherwise(false).onComplete(ar -> {
          inFlight.set(false);
          result.accept(ar.succeeded() && ar.result());
        });
      }
    });
  }
}
