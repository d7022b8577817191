package io.seckill.load;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunLedgerTest {

  @Test
  void countsAnswersByStatusAndCodeAndKeepsOnlyAdmittedOrders() {
    RunLedger ledger = new RunLedger();
    ledger.purchase("buyer", "u1", 202, "s.ORDER1", null, 12);
    ledger.purchase("buyer", "u2", 409, null, "SOLD_OUT", 3);
    ledger.purchase("abuser", "u3", 429, null, "RATE_LIMITED", 1);
    ledger.purchase("abuser", "u4", 202, "s.ORDER2", null, 20);

    assertEquals(Map.of("s.ORDER1", "u1", "s.ORDER2", "u4"), ledger.admitted());
    assertEquals(1, ledger.count("409 SOLD_OUT"));
    assertEquals(2, ledger.count("202"));
    assertEquals(1, ledger.admittedIn("abuser"));
    assertEquals(0, ledger.serverErrorsOrFailures());
  }

  @Test
  void countsServerErrorsAndMissingAnswersAsFailures() {
    RunLedger ledger = new RunLedger();
    ledger.purchase("buyer", "u1", 500, null, "INTERNAL_ERROR", 5);
    ledger.answer("pay", 0, null);
    ledger.answer("pay", 200, null);
    assertEquals(2, ledger.serverErrorsOrFailures());
  }

  @Test
  void percentileIsTheNearestRankOfAdmittedLatencies() {
    RunLedger ledger = new RunLedger();
    for (int ms = 1; ms <= 100; ms++) {
      ledger.purchase("buyer", "u" + ms, 202, "s.O" + ms, null, ms);
    }
    ledger.purchase("buyer", "late", 429, null, "RATE_LIMITED", 10_000);
    assertEquals(99, ledger.admittedPercentile(99.0));
    assertEquals(50, ledger.admittedPercentile(50.0));
    assertEquals(100, ledger.admittedPercentile(100.0));
  }
}
