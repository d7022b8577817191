package io.seckill.load.faults;

import io.seckill.load.GuaranteeCheck.Verdict;

import java.util.List;
import java.util.Map;

/**
 * One row of the table, and what explains it: every verdict, the clients' answers, the timeline.
 * {@code orders}, {@code lost} are -1 when they could not be counted; {@code recoverySeconds} is
 * null unless every check passed.
 */
record ScenarioResult(
    String scenario,
    String fault,
    String saleId,
    long requests,
    int accepted,
    int orders,
    int lost,
    int oversold,
    int deadLetters,
    Double recoverySeconds,
    boolean passed,
    List<String> problems,
    List<Verdict> checks,
    Map<String, Integer> deadLetterReasons,
    Map<String, Integer> ordersByStatus,
    Map<String, Long> answers,
    List<String> timeline) {

  /** A scenario that could not run to its check (the stack did not come back, the sale was not created …). */
  static ScenarioResult broken(String scenario, String fault, String saleId, PurchaseLoad load, String problem,
                               List<String> timeline) {
    return new ScenarioResult(scenario, fault, saleId, load == null ? 0 : load.purchases(),
        load == null ? 0 : load.ledger().admitted().size(), -1, -1, 0, 0, null, false, List.of(problem), List.of(),
        Map.of(), Map.of(), load == null ? Map.of() : load.ledger().answers(), timeline);
  }
}
