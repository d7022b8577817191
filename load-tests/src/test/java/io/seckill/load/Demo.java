package io.seckill.load;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./seckill demo}: a small flash sale through the public API of a running stack, then
 * what happened and whether every guarantee of DESIGN.md held. Exits 1 if one did not.
 *
 * <p>Settings (system properties): {@code demo.stock} (100), {@code demo.buyers} (3000),
 * {@code demo.concurrency} (400 requests in flight), {@code demo.paymentWindowSeconds} (30),
 * {@code gatewayUrl} (from {@code SECKILL_GATEWAY_PORT}).
 */
public final class Demo {

  private final GatewayClient gateway = new GatewayClient(Settings.gatewayUrl());
  private final Tokens tokens = Tokens.fromSettings();
  private final RunLedger ledger = new RunLedger();
  private final Map<String, String> tokenByOrder = new ConcurrentHashMap<>();
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger badAnswers = new AtomicInteger();
  private final AtomicInteger idempotentReplays = new AtomicInteger();
  private final AtomicInteger replays = new AtomicInteger();
  private final AtomicInteger expiredBeforePaid = new AtomicInteger();
  private final Semaphore inFlight = new Semaphore(Settings.integer("demo.concurrency", 400));
  private final Sale sale = Sale.openNow("demo", Settings.integer("demo.stock", 100), 2,
      Settings.seconds("demo.paymentWindowSeconds", 30));
  private final int buyers = Settings.integer("demo.buyers", 3000);

  public static void main(String[] args) {
    boolean held;
    try {
      held = new Demo().run();
    } catch (RuntimeException | AssertionError e) {
      System.out.println("demo could not run: " + e.getMessage());
      held = false;
    }
    System.exit(held ? 0 : 1);
  }

  private boolean run() {
    long start = System.nanoTime();
    SaleSetup.create(gateway, tokens, sale);
    System.out.printf("%d buyers rush the sale at once (at most %d requests in flight)...%n",
        buyers, inFlight.availablePermits());

    long rushStart = System.nanoTime();
    List<CompletableFuture<Void>> rush = new ArrayList<>();
    for (int i = 0; i < buyers; i++) {
      rush.add(buy(i));
    }
    CompletableFuture.allOf(rush.toArray(CompletableFuture[]::new)).join();
    double rushSeconds = (System.nanoTime() - rushStart) / 1e9;

    List<String> orders = new ArrayList<>(ledger.admitted().keySet());
    System.out.printf("rush over in %.1f s; %d orders admitted; paying for every other one...%n",
        rushSeconds, orders.size());
    for (int i = 0; i < orders.size(); i++) {
      if (i % 2 == 0) {
        payWhenPersisted(orders.get(i), i % 10 == 0);
      }
    }
    System.out.printf("waiting for the unpaid orders' payment window (%s) to end...%n", sale.paymentWindow());
    GuaranteeCheck.Report report = new GuaranteeCheck(gateway, tokens, LocalStack.fromEnv())
        .check(sale, ledger, sale.paymentWindow().plusSeconds(60));
    double totalSeconds = (System.nanoTime() - start) / 1e9;
    return summary(report, rushSeconds, totalSeconds);
  }

  /** One buyer: a purchase with an Idempotency-Key; some repeat it, some try to exceed the limit. */
  private CompletableFuture<Void> buy(int n) {
    String user = "demo-buyer-" + n;
    String token = tokens.user(user);
    Map<String, String> key = Map.of("Idempotency-Key", sale.id() + "-" + user);
    return purchase(user, token, 1, key, false).thenCompose(first -> {
      if (n % 10 == 0) {
        // a client retry of the same request: must get the same answer, never a second unit
        return purchase(user, token, 1, key, true).thenAccept(again -> checkReplay(user, first, again));
      }
      if (n % 7 == 0 && first.status() == 202) {
        return purchase(user, token, sale.perUserLimit(), Map.of(), false).thenAccept(over -> {
          if (over.status() == 202) {
            violations.add("per-user limit: " + user + " got a second order for " + sale.perUserLimit() + " more units");
          }
        });
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  private CompletableFuture<GatewayClient.Answer> purchase(String user, String token, int quantity,
                                                           Map<String, String> headers, boolean replay) {
    inFlight.acquireUninterruptibly();
    return gateway.postAsync(sale.purchasePath(), token, "{\"quantity\":" + quantity + "}", headers)
        .handle((answer, error) -> {
          inFlight.release();
          GatewayClient.Answer a = error != null ? new GatewayClient.Answer(0, GatewayClient.JSON.nullNode(), null, 0) : answer;
          if (!(a.status() >= 200 && a.status() < 300) && a.status() != 409 && a.status() != 429) {
            badAnswers.incrementAndGet();
          }
          String orderId = a.text("orderId");
          if (replay) {
            replays.incrementAndGet();
          }
          // a replay whose first answer was not 202 (SOLD_OUT before units came back, a 503) may
          // reserve for real: it is recorded like any purchase, so the check expects its order
          if (a.status() == 202 && orderId != null) {
            tokenByOrder.put(orderId, token);
          }
          ledger.purchase("buyer", user, a.status(), orderId, a.code(), a.millis());
          return a;
        });
  }

  private void checkReplay(String user, GatewayClient.Answer first, GatewayClient.Answer again) {
    if (first.status() == 202) {
      idempotentReplays.incrementAndGet();
      if (again.status() / 100 != 2 || !Objects.equals(first.text("orderId"), again.text("orderId"))) {
        violations.add("idempotency: " + user + " repeated its key and got " + again.status() + " "
            + again.text("orderId") + " instead of " + first.text("orderId"));
      }
    }
  }

  private void payWhenPersisted(String orderId, boolean payTwice) {
    String token = tokenByOrder.get(orderId);
    GatewayClient.Answer paid = Poll.until(Duration.ofSeconds(20), () -> {
      GatewayClient.Answer a = gateway.post("/api/orders/" + orderId + "/pay", token, "", Map.of());
      ledger.answer("pay", a.status(), a.code());
      return a;
    }, a -> !"ORDER_NOT_READY".equals(a.code()));
    if (paid != null && "ORDER_EXPIRED".equals(paid.code())) {
      // the buyer came back after its payment window: refusing is the engine doing its job
      expiredBeforePaid.incrementAndGet();
      return;
    }
    if (paid == null || paid.status() != 200) {
      violations.add("payment: " + orderId + " answered " + (paid == null ? "nothing" : paid.status() + " " + paid.code()));
      return;
    }
    ledger.paid(orderId);
    if (payTwice) {
      GatewayClient.Answer again = gateway.post("/api/orders/" + orderId + "/pay", token, "", Map.of());
      if (again.status() != 200 || !"PAID".equals(again.text("status"))) {
        violations.add("idempotency: paying " + orderId + " again answered " + again.status() + " " + again.code());
      }
    }
  }

  private boolean summary(GuaranteeCheck.Report report, double rushSeconds, double totalSeconds) {
    System.out.println();
    System.out.printf("Flash sale %s: %d units, %d buyers, per-user limit %d, payment window %s%n",
        sale.id(), sale.stock(), buyers, sale.perUserLimit(), sale.paymentWindow());
    System.out.printf("  time: rush %.1f s, whole demo %.1f s%n", rushSeconds, totalSeconds);
    System.out.println("  answers: " + ledger.answers());
    System.out.println("  orders by status (MySQL): " + report.ordersByStatus());
    System.out.printf("  sold (paid): %d of %d units%n",
        report.ordersByStatus().getOrDefault("PAID", 0), sale.stock());
    report.print(System.out);
    List<GuaranteeCheck.Verdict> own = List.of(
        new GuaranteeCheck.Verdict("every answer 2xx/409/429, no 5xx", badAnswers.get() == 0,
            badAnswers.get() + " other answers"),
        new GuaranteeCheck.Verdict("idempotency", violations.stream().noneMatch(v -> v.startsWith("idempotency")),
            replays.get() + " purchases repeated with their key (" + idempotentReplays.get()
                + " of them admitted: same order again), repeated payments"),
        new GuaranteeCheck.Verdict("limits (client side)", violations.stream().noneMatch(v -> v.startsWith("per-user")),
            "buyers that tried to exceed the limit were refused"),
        new GuaranteeCheck.Verdict("payments answered 200 or ORDER_EXPIRED", violations.stream().noneMatch(v -> v.startsWith("payment")),
            ledger.paid().size() + " orders paid, " + expiredBeforePaid.get() + " came back after their window"));
    own.forEach(v -> System.out.printf("  %-4s %-34s %s%n", v.held() ? "OK" : "FAIL", v.guarantee(), v.detail()));
    violations.stream().limit(10).forEach(v -> System.out.println("    " + v));
    boolean held = report.allHeld() && own.stream().allMatch(GuaranteeCheck.Verdict::held);
    System.out.println(held ? "every guarantee held" : "A GUARANTEE FAILED");
    return held;
  }
}
