package io.seckill.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.seckill.load.monitoring.Dashboards;
import io.seckill.load.monitoring.Dashboards.PanelQuery;
import io.seckill.load.monitoring.MonitoringProcesses;
import io.seckill.load.monitoring.Prometheus;
import io.seckill.load.monitoring.Prometheus.Drawn;
import io.seckill.testkit.LocalServices;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No dashboard panel is dead on arrival: the three services, then Prometheus and the Redis and
 * MySQL exporters as {@code ./seckill up --monitoring} starts them, a small sale through the public
 * API (admissions, sell-out, payments, payment timeouts, releases), and then every query of every
 * panel in {@code k8s/monitoring/dashboards} must draw something from the running Prometheus, and
 * every alert rule must evaluate without error.
 */
class DashboardQueriesIT {

  private static final Path DASHBOARDS = ServiceProcess.repoRoot().resolve("k8s").resolve("monitoring").resolve("dashboards");
  private static final int STOCK = 40;
  private static final int BUYERS = 150;
  private static final Duration ARRIVALS = Duration.ofSeconds(12);
  private static final Duration PAYMENT_WINDOW = Duration.ofSeconds(4);

  @Test
  @DisplayName("After a small sale every panel of every dashboard draws data from a running Prometheus, and every alert rule evaluates")
  void everyPanelDrawsDataAfterASale() {
    LocalStack infra = LocalStack.fromEnv().requireInfra();
    requireBrokerMetrics();
    List<PanelQuery> queries = Dashboards.queries(DASHBOARDS);
    assertTrue(queries.size() >= 30, "expected the sale, pipeline and JVM dashboards' queries, read " + queries.size());
    Map<String, String> env = new HashMap<>();
    // the per-sale units and drift come from order-worker's reconciliation sweep, the outbox
    // backlog from stock-service's: both faster than their defaults, so a short run shows them
    env.put("SECKILL_ORDER_RECONCILE_SECONDS", "2");
    env.put("SECKILL_OUTBOX_SWEEP_MS", "1000");
    // every virtual user comes from 127.0.0.1: a per-IP limit would shed them all
    env.put("SECKILL_RATE_PER_IP", "0");
    Instant start = Instant.now();

    try (LocalServices stack = LocalServices.start(env);
         MonitoringProcesses monitoring = MonitoringProcesses.start(
             Path.of("target", "monitoring-" + System.currentTimeMillis()),
             port(stack.gateway.managementUrl()), port(stack.stock.managementUrl()), port(stack.order.managementUrl()))) {
      Prometheus prometheus = monitoring.prometheus();
      awaitEveryTargetUp(prometheus);

      runSale(new GatewayClient(stack.gateway.baseUrl()), Tokens.fromSettings());

      Map<PanelQuery, Drawn> drawn = Poll.until(Duration.ofSeconds(90), () -> draw(prometheus, queries, start),
          all -> all.values().stream().allMatch(Drawn::hasData));
      List<String> dead = drawn.entrySet().stream().filter(e -> !e.getValue().hasData())
          .map(e -> e.getKey() + " " + e.getKey().expr() + " (" + e.getValue().series() + " series, no numbers)").toList();
      assertTrue(dead.isEmpty(), dead.size() + " of " + queries.size() + " panel queries draw nothing after the sale:\n  "
          + String.join("\n  ", dead));
      System.out.println("[seckill] all " + queries.size() + " panel queries of " + DASHBOARDS + " drew data");

      List<String> broken = new ArrayList<>();
      int rules = 0;
      for (JsonNode group : prometheus.rules()) {
        for (JsonNode rule : group.path("rules")) {
          rules++;
          if (!"ok".equals(rule.path("health").asText())) {
            broken.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
          }
        }
      }
      assertEquals(10, rules, "alert rules loaded from k8s/monitoring/rules");
      assertTrue(broken.isEmpty(), "alert rules that do not evaluate: " + broken);
    }
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  /** The broker exports its own metrics since ./seckill sets metricsExporterType=PROM. */
  private static void requireBrokerMetrics() {
    String explicit = System.getenv("SECKILL_BROKER_METRICS_PORT");
    String brokerPort = System.getenv().getOrDefault("SECKILL_BROKER_PORT", "10911");
    int port = explicit != null && !explicit.isBlank() ? Integer.parseInt(explicit.trim()) : Integer.parseInt(brokerPort.trim()) + 3;
    if (!answers200("http://127.0.0.1:" + port + "/metrics")) {
      fail("the RocketMQ broker exports no metrics on 127.0.0.1:" + port + ". A broker started before ./seckill turned "
          + "them on (metricsExporterType=PROM in broker.conf) has none: restart the infrastructure "
          + "(./seckill down; ./seckill up --infra), or point SECKILL_BROKER_METRICS_PORT at its metrics port.");
    }
  }

  private static void awaitEveryTargetUp(Prometheus prometheus) {
    Poll.await(Duration.ofSeconds(60), "every scrape target up (gateway, stock-service, order-worker, broker, exporters, Prometheus)",
        () -> {
          JsonNode targets = prometheus.targets();
          if (targets.size() < 7) {
            return false;
          }
          for (JsonNode target : targets) {
            if (!"up".equals(target.path("health").asText())) {
              return false;
            }
          }
          return true;
        },
        () -> "targets: " + prometheus.targets().findValuesAsText("health") + " " + prometheus.targets().findValuesAsText("lastError"));
  }

  /**
   * A sale of 40 units to 150 buyers arriving over 12 seconds: answers OK, then SOLD_OUT from
   * stock-service and from the gateway's flag. Every other admitted buyer pays at once; the others'
   * orders time out, are cancelled and their units released, so timeouts, cancellations and
   * releases show too.
   *
   * <p>Over seconds, not in one burst: the gateway creates a route's latency histogram at its first
   * request, and a histogram that Prometheus first sees with every request already counted has no
   * increase to draw. A crowd that arrives within one scrape after a gateway (re)start is invisible
   * to rate() in the same way (docs/monitoring.md); 150 purchases at once also hit the in-flight cap
   * (SECKILL_STOCK_MAX_IN_FLIGHT) and shed as overload before the sale sold out.
   */
  private static void runSale(GatewayClient gateway, Tokens tokens) {
    Sale sale = Sale.openNow("monitoring", STOCK, 1, PAYMENT_WINDOW);
    SaleSetup.create(gateway, tokens, sale);
    long spacingNanos = ARRIVALS.toNanos() / BUYERS;
    ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
    ExecutorService payers = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<GatewayClient.Answer>> purchases = new ArrayList<>();
      for (int i = 0; i < BUYERS; i++) {
        String buyer = "mon-" + sale.id() + "-" + i;
        boolean pays = i % 2 == 0;
        purchases.add(CompletableFuture.supplyAsync(() -> tokens.user(buyer),
                CompletableFuture.delayedExecutor(i * spacingNanos, TimeUnit.NANOSECONDS, arrivals))
            .thenCompose(token -> gateway.postAsync(sale.purchasePath(), token, "{\"quantity\":1}", Map.of())
                .thenCompose(answer -> answer.status() == 202 && pays
                    ? CompletableFuture.supplyAsync(() -> pay(gateway, token, answer.text("orderId")), payers).thenApply(paid -> answer)
                    : CompletableFuture.completedFuture(answer))));
      }
      CompletableFuture.allOf(purchases.toArray(CompletableFuture[]::new)).join();
      long admitted = purchases.stream().map(CompletableFuture::join).filter(answer -> answer.status() == 202).count();
      assertTrue(admitted > 0, "no purchase of " + BUYERS + " was admitted");
    } finally {
      arrivals.shutdown();
      payers.shutdown();
    }
  }

  /** Pays, retrying while the order is not persisted yet; an order whose window ran out stays unpaid, which is fine here. */
  private static GatewayClient.Answer pay(GatewayClient gateway, String token, String orderId) {
    return Poll.until(PAYMENT_WINDOW.plusSeconds(5),
        () -> gateway.post("/api/orders/" + orderId + "/pay", token, "", Map.of()),
        answer -> !"ORDER_NOT_READY".equals(answer.code()));
  }

  private static Map<PanelQuery, Drawn> draw(Prometheus prometheus, List<PanelQuery> queries, Instant from) {
    long range = Math.max(60, Duration.between(from, Instant.now()).getSeconds());
    Map<PanelQuery, Drawn> drawn = new LinkedHashMap<>();
    for (PanelQuery query : queries) {
      drawn.put(query, prometheus.queryRange(Dashboards.resolve(query.expr(), range), from));
    }
    return drawn;
  }

  private static boolean answers200(String url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
