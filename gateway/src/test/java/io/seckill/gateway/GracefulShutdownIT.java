package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.SlowProxy;
import io.seckill.gateway.support.Stack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real gateway process while purchases are in flight: it stops accepting, every
 * purchase already accepted is answered, and the process exits.
 */
class GracefulShutdownIT {

  private static final int IN_FLIGHT = 20;

  @Test
  @DisplayName("On SIGTERM the gateway finishes the purchases in flight, then exits and refuses new connections")
  void finishesInFlightRequestsOnSigterm() throws Exception {
    try (Stack stack = Stack.start(Map.of("SECKILL_RATE_PER_IP", "0"));
         SlowProxy slowStock = new SlowProxy(URI.create(stack.stock.baseUrl()), "/reservations",
             ServiceProcess.freePort())) {
      // A second gateway whose purchases reach stock-service only once the test releases them.
      ServiceProcess gateway = Stack.startGateway(stack.local, slowStock.url(), stack.order.baseUrl(),
          Map.of("SECKILL_RATE_PER_IP", "0", "SECKILL_SHUTDOWN_GRACE_MS", "15000"));
      try {
        Api api = new Api(gateway);
        String admin = stack.tokens.admin("gs-admin");
        String saleId = Api.uniqueId("drain");
        new Api(stack.gateway).createSale(admin,
            Api.openSale(saleId, 100, 1, Duration.ofMinutes(10)));
        // The draining gateway learns the sale from order-worker's list.
        Poll.await(Duration.ofSeconds(10), "sale visible to the second gateway",
            () -> api.purchase(saleId, stack.tokens.user("gs-probe"), 5, null).status() == 400);

        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
          String token = stack.tokens.user("gs-user-" + i);
          answers.add(CompletableFuture.supplyAsync(() -> api.purchase(saleId, token, 1, null), pool));
        }
        Poll.await(Duration.ofSeconds(10), IN_FLIGHT + " purchases held in flight", () -> slowStock.held() == IN_FLIGHT);

        long t0 = System.nanoTime();
        ProcessHandle.of(gateway.pid()).orElseThrow().destroy(); // SIGTERM
        // While the purchases are still held upstream, the gateway already refuses new connections
        // (a bare TCP connect, so no pooled keep-alive connection can hide the answer).
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", URI.create(gateway.baseUrl()).getPort());
        Poll.await(Duration.ofSeconds(10), "new connections refused while draining", () -> {
          try (Socket socket = new Socket()) {
            socket.connect(address, 1_000);
            return false;
          } catch (ConnectException refused) {
            return true;
          }
        });
        assertEquals(IN_FLIGHT, slowStock.held(), "the purchases were still in flight when accepting stopped");
        slowStock.release();
        boolean exited = gateway.stop(Duration.ofSeconds(30));
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(exited, "the gateway did not exit within 30 s of SIGTERM");

        Set<String> orders = new HashSet<>();
        for (CompletableFuture<Answer> f : answers) {
          Answer a = f.get(5, TimeUnit.SECONDS);
          assertEquals(202, a.status(), "an in-flight purchase was not finished: " + a);
          orders.add(a.json().getString("orderId"));
        }
        pool.shutdownNow();
        assertEquals(IN_FLIGHT, orders.size());
        System.out.printf("graceful shutdown: %d in-flight purchases answered 202, process exited %d ms after SIGTERM%n",
            IN_FLIGHT, stopMs);
        assertFalse(gateway.isAlive());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(ConnectException.class, () -> client.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health/live")).build(),
            HttpResponse.BodyHandlers.discarding()), "nothing listens after the exit");
      } finally {
        gateway.close();
      }
    }
  }
}
