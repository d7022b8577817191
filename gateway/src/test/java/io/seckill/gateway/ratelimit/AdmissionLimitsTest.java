package io.seckill.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionLimitsTest {

  @Test
  void rejectsAUserOverTheirRateWithARetryAfterOfAtLeastOneSecond() {
    AdmissionLimits limits = new AdmissionLimits(3, 0, 0, 1_000);
    for (int i = 0; i < 3; i++) {
      assertTrue(limits.tryAdmit("alice", "1.1.1.1", "s").isAdmitted());
    }
    Admission rejected = limits.tryAdmit("alice", "1.1.1.1", "s");
    assertFalse(rejected.isAdmitted());
    assertEquals(AdmissionLimits.USER, rejected.rejectedBy());
    assertTrue(rejected.retryAfterSeconds() >= 1);
    assertTrue(limits.tryAdmit("bob", "1.1.1.1", "s").isAdmitted(), "another user has their own bucket");
  }

  @Test
  void limitsPerIpAndPerSaleIndependently() {
    AdmissionLimits limits = new AdmissionLimits(0, 2, 3, 1_000);
    assertTrue(limits.tryAdmit("a", "ip1", "s").isAdmitted());
    assertTrue(limits.tryAdmit("b", "ip1", "s").isAdmitted());
    assertEquals(AdmissionLimits.IP, limits.tryAdmit("c", "ip1", "s").rejectedBy());
    assertTrue(limits.tryAdmit("d", "ip2", "s").isAdmitted());
    assertEquals(AdmissionLimits.SALE, limits.tryAdmit("e", "ip3", "s").rejectedBy());
    assertTrue(limits.tryAdmit("f", "ip3", "other-sale").isAdmitted());
  }

  @Test
  void zeroTurnsEveryLimitOff() {
    AdmissionLimits limits = new AdmissionLimits(0, 0, 0, 1_000);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(limits.tryAdmit("alice", "ip", "s").isAdmitted());
    }
    assertEquals(0, limits.bucketCount());
  }

  @Test
  void holdsABoundedNumberOfBucketsWhateverTheNumberOfUsers() {
    AdmissionLimits limits = new AdmissionLimits(5, 0, 0, 1_000);
    for (int i = 0; i < 200_000; i++) {
      limits.tryAdmit("user-" + i, "ip", "s");
    }
    assertTrue(limits.bucketCount() <= 1_000, "buckets: " + limits.bucketCount());
  }
}
