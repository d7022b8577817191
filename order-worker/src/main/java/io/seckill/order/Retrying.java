package io.seckill.order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries work that failed for a reason that can pass (MySQL or the broker unreachable or timing
 * out, a race that went on too long) for as long as it takes, with capped exponential backoff and
 * jitter. There is no attempt limit: giving up on an order message would lose the order (the
 * buyer holds a unit in Redis that MySQL never hears of), while waiting costs only a consumer
 * thread, and during an outage that thread could not have done anything else. Only a refusal of
 * the data itself ({@link SqlFailures#isRefusal}) ends the retries, as {@link Refused}; anything
 * unrecognised is retried, because stalling is visible (gauges, log) and losing is not.
 *
 * <p>Callers take no lock across {@link #untilDone}: the pause happens with nothing held. MySQL
 * work that takes a sale's lock first and then a pool connection goes through
 * {@link #untilCommitted}, which before every retry waits for a connection holding nothing: during
 * an outage each attempt would otherwise hold the sale's lock for the pool's whole connection
 * timeout, and every other thread of that sale would queue behind it. On shutdown {@link #stop}
 * wakes every pause and the work ends with {@link Stopped} instead of trying again; the caller
 * hands its messages back to the broker.
 */
public final class Retrying {

  private static final Logger log = LoggerFactory.getLogger(Retrying.class);

  private final long baseMillis;
  private final long maxMillis;
  private final WorkerMetrics metrics;
  private final Step mysqlAnswers;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** {@code mysqlAnswers} returns once MySQL hands out a connection, and throws when it does not. */
  public Retrying(RecoveryConfig config, WorkerMetrics metrics, Step mysqlAnswers) {
    this.baseMillis = config.retryBaseMillis();
    this.maxMillis = config.retryMaxMillis();
    this.metrics = metrics;
    this.mysqlAnswers = mysqlAnswers;
  }

  /** The work was refused for good by the database: trying again can never succeed. */
  public static final class Refused extends RuntimeException {
    Refused(Throwable cause) {
      super(cause.toString(), cause);
    }
  }

  /** The worker is stopping: the work was not done, and will not be tried again by this process. */
  public static final class Stopped extends Exception {
    Stopped(String work, int attempts) {
      super(work + " abandoned after " + attempts + " attempt(s): the worker is stopping", null, false, false);
    }
  }

  /**
   * Runs {@code attempt} until it returns. {@code work} names it in the log and in the metric
   * {@code seckill_order_retries{work}}.
   *
   * @throws Refused when a failure is a refusal of the data ({@link SqlFailures#isRefusal})
   * @throws Stopped when the worker stops (or the thread is interrupted) before the work succeeds
   */
  public <T> T untilDone(String work, Callable<T> attempt) throws Stopped {
    return run(work, attempt, null);
  }

  /** As {@link #untilDone(String, Callable)}, for MySQL work: each retry first waits for MySQL with no lock held. */
  public <T> T untilCommitted(String work, Callable<T> attempt) throws Stopped {
    return run(work, attempt, mysqlAnswers);
  }

  private <T> T run(String work, Callable<T> attempt, Step beforeRetry) throws Stopped {
    for (int n = 1; ; n++) {
      try {
        if (n > 1 && beforeRetry != null) {
          beforeRetry.run();
        }
        T result = attempt.call();
        if (n > 1) {
          log.info("{} succeeded after {} attempts", work, n);
        }
        return result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopped(work, n);
      } catch (Exception e) {
        if (SqlFailures.isRefusal(e)) {
          throw new Refused(e);
        }
        pause(work, n, e);
      }
    }
  }

  /** Work that returns nothing, such as a publish. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  /** As {@link #untilDone(String, Callable)}, for work that returns nothing. */
  public void untilDone(String work, Step attempt) throws Stopped {
    untilDone(work, () -> {
      attempt.run();
      return null;
    });
  }

  /** Wakes every pause; from now on work that fails ends with {@link Stopped}. */
  public void stop() {
    stopped.countDown();
  }

  public boolean stopping() {
    return stopped.getCount() == 0;
  }

  /**
   * The pause after attempt {@code attempt} failed: the ceiling doubles from the base up to the
   * cap, and the pause is drawn from its upper half ("equal jitter"), so that threads that failed
   * together spread out, yet each waits at least half the ceiling.
   */
  long delayMillis(int attempt) {
    long ceiling = Math.min(maxMillis, baseMillis << Math.min(attempt - 1, 30));
    return ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private void pause(String work, int attempt, Exception cause) throws Stopped {
    if (stopping()) {
      throw new Stopped(work, attempt);
    }
    long delay = delayMillis(attempt);
    metrics.retry(work, attempt);
    // a long outage would log every attempt of every thread: the first ones, then one in ten
    if (attempt <= 3 || attempt % 10 == 0) {
      log.warn("{} failed (attempt {}); trying again in {} ms: {}", work, attempt, delay, describe(cause));
    }
    metrics.waitingToRetry(1);
    try {
      if (stopped.await(delay, TimeUnit.MILLISECONDS)) {
        throw new Stopped(work, attempt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped(work, attempt);
    } finally {
      metrics.waitingToRetry(-1);
    }
  }

  /** The exception and its deepest cause: a MyBatis wrapper alone says nothing about the fault. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + root;
  }
}
