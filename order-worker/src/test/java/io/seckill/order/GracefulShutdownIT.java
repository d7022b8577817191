package io.seckill.order;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.order.support.SilentServer;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: SIGTERM of a real worker process in the middle of a burst of creations, with an HTTP
 * request in flight (a sale's stats, waiting 3 s on a stock-service that never answers). Check:
 * the request is answered, the messages the worker had taken are finished before it exits, it
 * exits within its grace, and after a restart every order is in MySQL exactly once with nothing
 * dead-lettered. Before, Main closed Vert.x at once: the request's connection was cut and the
 * consumer threads were interrupted mid-batch.
 */
class GracefulShutdownIT {

  private static final int ORDERS = 2_000;
  private static final int STOCK = 5_000;
  private static final Duration WINDOW = Duration.ofMinutes(10);

  @Test
  @DisplayName("SIGTERM mid-burst: the request in flight is answered, what was taken is finished, the worker exits in its grace; after a restart every order is persisted once and nothing is dead-lettered")
  void sigtermMidBurst() throws Exception {
    LocalStack.fromEnv().requireInfra();
    int port = ServiceProcess.freePort();
    try (SilentServer stockService = SilentServer.start(); Broker broker = new Broker()) {
      Map<String, String> env = new HashMap<>(TestWorker.freshGroups());
      // small batches on one thread, so that the burst is still being worked on when SIGTERM comes
      env.putAll(Map.of("SECKILL_ORDER_PORT", String.valueOf(port), "SECKILL_STOCK_URL", stockService.url(),
          "SECKILL_ORDER_BATCH_SIZE", "4", "SECKILL_ORDER_CONSUME_THREADS", "1",
          "SECKILL_ORDER_RECONCILE_SECONDS", "0", "SECKILL_ORDER_SWEEP_SECONDS", "0",
          "SECKILL_ORDER_SHUTDOWN_GRACE_MS", "15000"));
      try (ServiceProcess worker = ServiceProcess.start("order-worker", port, env)) {
        String saleId = Sales.uniqueSaleId("sigterm");
        Sales.create(worker.baseUrl(), saleId, STOCK, WINDOW);
        List<OrderMessage> orders = Sales.orders(saleId, ORDERS, WINDOW);
        Map<String, List<MessageExt>> dead = broker.watch(Topics.DEAD_LETTER, key -> key.startsWith(saleId));
        broker.publishCreates(orders.subList(0, ORDERS / 2));
        Poll.await(Duration.ofSeconds(120), "the worker working through the burst", () -> Mysql.orders(saleId) >= 100);

        // HTTP/1.1 as the gateway speaks it (JDK 17's client fails every HTTP/2 stream on a GOAWAY)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> stats = http.sendAsync(
            HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/internal/sales/" + saleId)).timeout(Duration.ofSeconds(30))
                .header("Authorization", LocalStack.fromEnv().gatewayAuthorization()).build(),
            HttpResponse.BodyHandlers.ofString());
        Poll.await(Duration.ofSeconds(10), "the stats request waiting on stock-service", () -> stockService.accepted() > 0);
        long sigterm = System.nanoTime();
        assertTrue(worker.stop(Duration.ofSeconds(40)), "the worker exits within its grace after SIGTERM");
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
        HttpResponse<String> answered = stats.get(10, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals(saleId, new JsonObject(answered.body()).getString("id"));
        String log = Files.readString(worker.log());
        assertTrue(log.contains("every message taken was finished"), "the worker finished what it had taken:\n" + tail(log));
        long atStop = Mysql.orders(saleId);
        assertTrue(atStop < ORDERS, "stopped after the whole burst was already done");

        // the rest of the burst arrives while no worker runs
        broker.publishCreates(orders.subList(ORDERS / 2, ORDERS));
        worker.restart();
        Poll.await(Duration.ofSeconds(180), "all orders persisted after the restart", () -> Mysql.orders(saleId) >= ORDERS);
        assertEquals(ORDERS, Mysql.orders(saleId));
        assertEquals(STOCK - Sales.units(orders), Mysql.available(saleId));
        assertEquals(Map.of("AWAITING_PAYMENT", (long) Sales.units(orders)), Mysql.unitsByStatus(saleId));
        assertTrue(dead.isEmpty(), "nothing dead-lettered: " + dead.keySet());
        System.out.printf("SIGTERM with %d of %d persisted; the worker stopped in %d ms%n", atStop, ORDERS, stopMillis);
      }
    }
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
  }
}
