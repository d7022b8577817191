package io.seckill.load.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.seckill.load.GatewayClient;
import io.seckill.load.GuaranteeCheck;
import io.seckill.load.GuaranteeCheck.Verdict;
import io.seckill.load.Sale;
import io.seckill.load.Tokens;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker after a fault: polls, until a deadline, for every guarantee of DESIGN.md to hold
 * again on this scenario's sale ({@link GuaranteeCheck}: no oversell, every 202 exactly one order,
 * each ended {@code PAID} or {@code CANCELLED} with its unit back, per-user limit, Redis and MySQL
 * agreeing, payments kept), adds what only the clients saw (idempotent repeats, keyed retries that
 * never got a definite answer), and counts the sale's dead letters on the broker.
 */
final class FaultCheck {

  /** What the check found: whether and when everything held, every verdict, and the table's numbers. */
  record Outcome(boolean passed, Instant passedAt, List<Verdict> verdicts, int orders, int lost, int oversold,
                 Map<String, Integer> deadLetters, Map<String, Integer> ordersByStatus) {
  }

  private record Evaluation(List<Verdict> verdicts, Map<String, Integer> ordersByStatus) {
    boolean held() {
      return verdicts.stream().allMatch(Verdict::held);
    }
  }

  private final GatewayClient gateway;
  private final String adminToken;
  private final LocalStack local;
  private final GuaranteeCheck guarantees;

  FaultCheck(GatewayClient gateway, Tokens tokens, LocalStack local) {
    this.gateway = gateway;
    this.adminToken = tokens.admin("faults-checker");
    this.local = local;
    this.guarantees = new GuaranteeCheck(gateway, tokens, local);
  }

  /**
   * Polls until every guarantee holds or {@code deadline} passes (a deadline already past means
   * one look). The load must be idle: what its clients were told is final.
   */
  Outcome await(Sale sale, PurchaseLoad load, Instant deadline) {
    Set<String> unknownOutcome = load.unknownOutcomeUsers();
    List<Verdict> clients = clientVerdicts(load);
    Duration left = Duration.between(Instant.now(), deadline);
    Evaluation last = Poll.until(left.isNegative() ? Duration.ZERO : left,
        () -> evaluate(sale, load, unknownOutcome), Evaluation::held);
    Instant passedAt = last.held() ? Instant.now() : null;

    List<Verdict> verdicts = new ArrayList<>(last.verdicts());
    verdicts.addAll(clients);
    Map<String, Integer> letters = Map.of();
    try {
      letters = DeadLetterTopic.lettersOf(local.namesrvAddr(), sale.id());
      verdicts.add(new Verdict("no dead letters", letters.isEmpty(),
          letters.isEmpty() ? "none for this sale on the dead-letter topic" : "on the dead-letter topic: " + letters));
    } catch (RuntimeException e) {
      verdicts.add(new Verdict("no dead letters", false, "could not read the dead-letter topic: " + e.getMessage()));
    }
    boolean passed = passedAt != null && verdicts.stream().allMatch(Verdict::held);
    Numbers numbers = numbers(sale, load, letters);
    return new Outcome(passed, passed ? passedAt : null, verdicts, numbers.orders, numbers.lost, numbers.oversold,
        letters, last.ordersByStatus());
  }

  private Evaluation evaluate(Sale sale, PurchaseLoad load, Set<String> unknownOutcome) {
    if (Instant.now().isBefore(load.latestExpiry())) {
      // an unpaid order cannot be cancelled before its window ends: nothing to read yet
      return new Evaluation(List.of(new Verdict("every payment window over", false,
          "the last window ends at " + load.latestExpiry())), Map.of());
    }
    try {
      GuaranteeCheck.Report report = guarantees.check(sale, load.ledger(), Duration.ZERO, unknownOutcome);
      return new Evaluation(report.verdicts(), report.ordersByStatus());
    } catch (RuntimeException | AssertionError e) {
      return new Evaluation(List.of(new Verdict("the stack answers the checker", false, String.valueOf(e.getMessage()))),
          Map.of());
    }
  }

  private static List<Verdict> clientVerdicts(PurchaseLoad load) {
    List<Verdict> verdicts = new ArrayList<>();
    List<String> twice = load.idempotencyViolations();
    verdicts.add(new Verdict("one reservation per key", twice.isEmpty(),
        load.repeatsSameOrder() + " repeated keys got their order back; " + twice.size() + " got a second order"
            + (twice.isEmpty() ? "" : " e.g. " + twice.subList(0, Math.min(3, twice.size())))));
    Set<String> unresolved = load.keyedUnresolved();
    verdicts.add(new Verdict("keyed retries resolve every 5xx", unresolved.isEmpty(),
        load.keyedRetries() + " keyed retries after a 5xx or no answer; " + unresolved.size()
            + " keyed buyers never got a definite answer" + sample(unresolved) + "; " + load.unkeyedUnanswered()
            + " purchases without a key got a 5xx or no answer (" + load.unknownOutcomeUsers().size()
            + " buyers never learned their outcome)"));
    List<String> errors = load.clientErrors();
    verdicts.add(new Verdict("the generator ran cleanly", errors.isEmpty(),
        errors.isEmpty() ? load.turnedAway() + " arrivals turned away at the generator's cap"
            : errors.size() + " client-side errors, e.g. " + errors.subList(0, Math.min(3, errors.size()))));
    return verdicts;
  }

  private record Numbers(int orders, int lost, int oversold) {
  }

  /**
   * lost: the larger of the 202s that did not end {@code PAID} or {@code CANCELLED} and the units
   * neither paid nor back on sale (in Redis or MySQL); oversold: units held beyond stock in MySQL,
   * units Redis would sell beyond what MySQL has left, and creations refused for want of stock.
   */
  private Numbers numbers(Sale sale, PurchaseLoad load, Map<String, Integer> letters) {
    int notEnough = letters.entrySet().stream().filter(e -> e.getKey().startsWith("NOT_ENOUGH_STOCK"))
        .mapToInt(Map.Entry::getValue).sum();
    try {
      GuaranteeCheck.Stored stored = guarantees.read(sale.id());
      JsonNode stats = gateway.get("/admin/sales/" + sale.id(), adminToken).body();
      JsonNode redis = stats.path("reconciliation").path("redisAvailable");
      int redisAvailable = redis.isNumber() ? redis.asInt() : stats.path("available").asInt(0);
      int paid = stored.units("PAID");
      int awaiting = stored.units("AWAITING_PAYMENT");
      long notEnded = load.ledger().admitted().keySet().stream()
          .filter(id -> !"PAID".equals(stored.statusById().get(id)) && !"CANCELLED".equals(stored.statusById().get(id)))
          .count();
      int unitsLost = Math.max(0, Math.max(sale.stock() - paid - redisAvailable, sale.stock() - paid - stored.available()));
      int oversold = Math.max(0, paid + awaiting - sale.stock())
          + Math.max(0, redisAvailable - (sale.stock() - paid - awaiting)) + notEnough;
      return new Numbers(stored.statusById().size(), (int) Math.max(notEnded, unitsLost), oversold);
    } catch (RuntimeException e) {
      System.out.println("[faults] cannot count orders of " + sale.id() + ": " + e.getMessage());
      return new Numbers(-1, -1, notEnough);
    }
  }

  private static String sample(Set<String> ids) {
    return ids.isEmpty() ? "" : " e.g. " + ids.stream().limit(3).toList();
  }
}
