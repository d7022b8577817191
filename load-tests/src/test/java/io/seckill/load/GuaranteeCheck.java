package io.seckill.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * After a run: waits until the engine has settled (every admitted order persisted, every payment
 * window over, Redis and MySQL agreeing), then checks the guarantees of DESIGN.md against the
 * admin stats and MySQL itself, not against what the services say about themselves alone.
 */
public final class GuaranteeCheck {

  /** One guarantee and whether it held, with the numbers that show it. */
  public record Verdict(String guarantee, boolean held, String detail) {
  }

  /** All verdicts of one check. */
  public record Report(String saleId, List<Verdict> verdicts, Map<String, Integer> ordersByStatus) {
    public boolean allHeld() {
      return verdicts.stream().allMatch(Verdict::held);
    }

    public Report print(PrintStream out) {
      out.println("[seckill] guarantees for sale " + saleId + ":");
      for (Verdict v : verdicts) {
        out.printf("  %-4s %-34s %s%n", v.held() ? "OK" : "FAIL", v.guarantee(), v.detail());
      }
      return this;
    }

    /** Throws when a guarantee broke, so the run (Gatling's after hook, a test, the demo) fails. */
    public void requireAllHeld() {
      if (!allHeld()) {
        throw new AssertionError("guarantees broken for sale " + saleId + ": " + verdicts.stream()
            .filter(v -> !v.held()).map(v -> v.guarantee() + " (" + v.detail() + ")").toList());
      }
    }
  }

  /** What MySQL holds for one sale. */
  public record Stored(int stock, int available, Map<String, String> statusById,
                       Map<String, Integer> quantityById, Map<String, String> userById) {
    public int units(String status) {
      return statusById.entrySet().stream().filter(e -> e.getValue().equals(status))
          .mapToInt(e -> quantityById.get(e.getKey())).sum();
    }
  }

  private final GatewayClient gateway;
  private final String adminToken;
  private final LocalStack stack;

  public GuaranteeCheck(GatewayClient gateway, Tokens tokens, LocalStack stack) {
    this.gateway = gateway;
    this.adminToken = tokens.admin("load-checker");
    this.stack = stack;
  }

  /**
   * Waits up to {@code settle} for the sale to settle, then checks. Waiting ends early once every
   * admitted order is in MySQL, none awaits payment any more, and Redis agrees with MySQL.
   */
  public Report check(Sale sale, RunLedger ledger, Duration settle) {
    return check(sale, ledger, settle, Set.of());
  }

  /**
   * As {@link #check(Sale, RunLedger, Duration)}, for runs where some purchases got no definite
   * answer (a 5xx or none: a part was killed mid-request). Such a purchase may still have reserved
   * a unit the client never heard of; its order is no loss when it belongs to one of
   * {@code unknownOutcomeUsers} and ends {@code CANCELLED}, its unit back on sale.
   */
  public Report check(Sale sale, RunLedger ledger, Duration settle, Set<String> unknownOutcomeUsers) {
    Map<String, String> admitted = ledger.admitted();
    Poll.until(settle, () -> settled(sale, admitted.keySet()), Boolean.TRUE::equals);
    Stored stored = read(sale.id());
    JsonNode stats = gateway.get("/admin/sales/" + sale.id(), adminToken).body();

    List<Verdict> verdicts = new ArrayList<>();
    int paidUnits = stored.units("PAID");
    int awaitingUnits = stored.units("AWAITING_PAYMENT");
    int cancelledUnits = stored.units("CANCELLED");
    int held = paidUnits + awaitingUnits;

    verdicts.add(new Verdict("no oversell (sold <= stock)",
        held <= sale.stock() && stats.path("paid").asInt() + stats.path("awaitingPayment").asInt() <= sale.stock(),
        "MySQL paid+awaiting " + held + ", admin paid " + stats.path("paid").asInt() + " + awaiting "
            + stats.path("awaitingPayment").asInt() + ", stock " + sale.stock()));

    Set<String> missing = new HashSet<>(admitted.keySet());
    missing.removeAll(stored.statusById().keySet());
    Set<String> unexpected = new HashSet<>(stored.statusById().keySet());
    unexpected.removeAll(admitted.keySet());
    int excused = unexpected.size();
    unexpected.removeIf(id -> unknownOutcomeUsers.contains(stored.userById().get(id))
        && "CANCELLED".equals(stored.statusById().get(id)));
    excused -= unexpected.size();
    verdicts.add(new Verdict("reservations = orders",
        missing.isEmpty() && unexpected.isEmpty(),
        admitted.size() + " answered 202, " + stored.statusById().size() + " orders in MySQL; "
            + missing.size() + " admitted but not stored" + sample(missing) + ", " + unexpected.size()
            + " stored but never handed out" + sample(unexpected)
            + (excused > 0 ? " (+" + excused + " cancelled orders of clients that got no definite answer)" : "")
            + (ledger.serverErrorsOrFailures() > 0 ? " (clients got " + ledger.serverErrorsOrFailures()
                + " 5xx/no answers: outcome unknown to them)" : "")));

    Map<String, Integer> perUser = new HashMap<>();
    stored.statusById().forEach((id, status) -> {
      if (!status.equals("CANCELLED")) {
        perUser.merge(stored.userById().get(id), stored.quantityById().get(id), Integer::sum);
      }
    });
    long overLimit = perUser.values().stream().filter(q -> q > sale.perUserLimit()).count();
    int maxHeld = perUser.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    verdicts.add(new Verdict("per-user limit held", overLimit == 0,
        overLimit + " users over the limit of " + sale.perUserLimit() + " (most held by one user: " + maxHeld + ")"));

    int redisAvailable = stats.path("reconciliation").path("redisAvailable").asInt(stats.path("available").asInt());
    verdicts.add(new Verdict("unpaid units returned after timeout",
        awaitingUnits == 0 && stored.available() == sale.stock() - paidUnits && redisAvailable == sale.stock() - paidUnits,
        awaitingUnits + " units still awaiting payment, " + cancelledUnits + " cancelled; available MySQL "
            + stored.available() + " / Redis " + redisAvailable + ", expected stock-paid = " + (sale.stock() - paidUnits)));

    JsonNode reconciliation = stats.path("reconciliation");
    verdicts.add(new Verdict("conservation (Redis = MySQL)",
        stored.available() + held == sale.stock() && reconciliation.path("consistent").asBoolean(false),
        "MySQL available " + stored.available() + " + held " + held + " = " + (stored.available() + held)
            + " vs stock " + sale.stock() + "; reconciliation " + reconciliation));

    Set<String> paidButNotPaid = new HashSet<>();
    for (String id : ledger.paid()) {
      if (!"PAID".equals(stored.statusById().get(id))) {
        paidButNotPaid.add(id);
      }
    }
    verdicts.add(new Verdict("payment vs timeout: one winner", paidButNotPaid.isEmpty(),
        ledger.paid().size() + " confirmed paid to clients, " + paidButNotPaid.size() + " of them not PAID in MySQL"
            + sample(paidButNotPaid) + "; MySQL PAID units " + paidUnits));
    Map<String, Integer> byStatus = new TreeMap<>();
    stored.statusById().values().forEach(status -> byStatus.merge(status, 1, Integer::sum));
    return new Report(sale.id(), verdicts, byStatus);
  }

  private boolean settled(Sale sale, Set<String> admitted) {
    Stored stored = read(sale.id());
    if (!stored.statusById().keySet().containsAll(admitted) || stored.units("AWAITING_PAYMENT") > 0) {
      return false;
    }
    JsonNode stats = gateway.get("/admin/sales/" + sale.id(), adminToken).body();
    return stats.path("reconciliation").path("consistent").asBoolean(false);
  }

  /** What MySQL holds for the sale now (read directly, not through the services). */
  public Stored read(String saleId) {
    try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), stack.mysqlUser(), stack.mysqlPassword())) {
      int stock;
      int available;
      try (PreparedStatement sale = connection.prepareStatement("SELECT stock, available FROM sale WHERE id = ?")) {
        sale.setString(1, saleId);
        try (ResultSet row = sale.executeQuery()) {
          if (!row.next()) {
            throw new IllegalStateException("sale " + saleId + " is not in MySQL table `sale`");
          }
          stock = row.getInt(1);
          available = row.getInt(2);
        }
      }
      Map<String, String> status = new HashMap<>();
      Map<String, Integer> quantity = new HashMap<>();
      Map<String, String> user = new HashMap<>();
      try (PreparedStatement orders = connection.prepareStatement(
          "SELECT id, user_id, quantity, status FROM orders WHERE sale_id = ?")) {
        orders.setString(1, saleId);
        try (ResultSet row = orders.executeQuery()) {
          while (row.next()) {
            status.put(row.getString(1), row.getString(4));
            user.put(row.getString(1), row.getString(2));
            quantity.put(row.getString(1), row.getInt(3));
          }
        }
      }
      return new Stored(stock, available, status, quantity, user);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read sale " + saleId + " from MySQL at " + stack.jdbcUrl() + ": " + e, e);
    }
  }

  private static String sample(Set<String> ids) {
    return ids.isEmpty() ? "" : " e.g. " + ids.stream().limit(3).toList();
  }
}
