package io.seckill.order;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryingTest {

  private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());

  private Retrying retrying(int baseMillis, int maxMillis) {
    return new Retrying(new RecoveryConfig(baseMillis, maxMillis, 0, 0, 0), metrics, () -> { });
  }

  @Test
  void pausesGrowFromTheBaseToTheCapWithJitterInTheUpperHalf() {
    Retrying retrying = retrying(100, 10_000);
    for (int i = 0; i < 1_000; i++) {
      long first = retrying.delayMillis(1);
      assertTrue(first >= 50 && first <= 100, "attempt 1: " + first);
      long fourth = retrying.delayMillis(4);
      assertTrue(fourth >= 400 && fourth <= 800, "attempt 4: " + fourth);
      long late = retrying.delayMillis(40);
      assertTrue(late >= 5_000 && late <= 10_000, "attempt 40: " + late);
    }
  }

  @Test
  void retriesAFaultThatCanPassFarBeyondAnyAttemptLimit() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String result = retrying(1, 2).untilDone("test", () -> {
      if (calls.incrementAndGet() < 50) {
        throw new PersistenceException(new SQLException("Communications link failure", "08S01"));
      }
      return "done";
    });
    assertEquals("done", result);
    assertEquals(50, calls.get());
    assertEquals(50, (long) metrics.registry().get("seckill_order_retry_longest_attempts").gauge().value());
  }

  @Test
  void mysqlWorkWaitsForMysqlBeforeEachRetryNotBeforeTheFirstAttempt() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    Retrying retrying = new Retrying(new RecoveryConfig(1, 2, 0, 0, 0), metrics, () -> {
      if (probes.incrementAndGet() < 3) {
        throw new SQLException("Connection is not available, request timed out after 5000ms.", "08001");
      }
    });
    assertEquals("done", retrying.untilCommitted("test", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new PersistenceException(new SQLException("Communications link failure", "08S01"));
      }
      return "done";
    }));
    assertEquals(2, calls.get(), "the work ran again only once MySQL answered");
    assertEquals(3, probes.get());
  }

  @Test
  void aRefusalOfTheDataIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(Retrying.Refused.class, () -> retrying(1, 2).untilDone("test", () -> {
      calls.incrementAndGet();
      throw new PersistenceException(new SQLException("Data too long", "22001", 1406));
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void stopWakesAPausedRetryWhichEndsWithStopped() throws Exception {
    Retrying retrying = retrying(60_000, 60_000);
    CountDownLatch failedOnce = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        retrying.untilDone("test", () -> {
          failedOnce.countDown();
          throw new IllegalStateException("broker down");
        });
        return null;
      } catch (Throwable e) {
        return e;
      }
    });
    assertTrue(failedOnce.await(10, TimeUnit.SECONDS));
    retrying.stop();
    assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof Retrying.Stopped);
  }
}
