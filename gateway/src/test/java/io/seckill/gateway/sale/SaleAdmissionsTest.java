package io.seckill.gateway.sale;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaleAdmissionsTest {

  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final SaleAdmissions admissions = new SaleAdmissions(now::get);

  @Test
  void averagesTheLastWholeSecondsAndLeavesOutTheCurrentOne() {
    for (int second = 0; second < 5; second++) {
      for (int i = 0; i < 10 * (second + 1); i++) {
        admissions.admitted("s"); // 10, 20, 30, 40, 50 in five seconds
      }
      now.addAndGet(1_000);
    }
    admissions.admitted("s"); // the current second: not in the rate yet
    assertEquals(151, admissions.total("s"));
    assertEquals(150 / 5.0, admissions.perSecond("s"));
    now.addAndGet(1_000);
    assertEquals((20 + 30 + 40 + 50 + 1) / 5.0, admissions.perSecond("s"));
  }

  @Test
  void forgetsSecondsOlderThanTheWindowAndKeepsTheTotal() {
    admissions.admitted("s");
    now.addAndGet(3_000);
    assertEquals(0.2, admissions.perSecond("s"));
    now.addAndGet(60_000);
    admissions.admitted("s"); // reuses the slot of an old second
    now.addAndGet(1_000);
    assertEquals(0.2, admissions.perSecond("s"));
    assertEquals(2, admissions.total("s"));
  }

  @Test
  void keepsSalesApartAndKnowsNothingOfUnknownOnes() {
    admissions.admitted("a");
    now.addAndGet(1_000);
    assertEquals(1, admissions.total("a"));
    assertEquals(0, admissions.total("b"));
    assertEquals(0.0, admissions.perSecond("b"));
  }

  @Test
  void losesNoAdmissionWhenManyThreadsCrossASecondTogether() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          admissions.admitted("s");
          if (i == 5_000) {
            now.compareAndSet(1_800_000_000_000L, 1_800_000_001_000L); // one thread moves the clock mid-run
          }
        }
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    now.set(1_800_000_002_000L);
    assertEquals(80_000, admissions.total("s"));
    assertEquals(80_000 / 5.0, admissions.perSecond("s"));
  }
}
