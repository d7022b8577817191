package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.testkit.Poll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: stock-service hangs (SIGSTOP) mid-sale. Load: a handful of concurrent purchases.
 * Check: once a few calls have timed out, the gateway's circuit to stock-service opens and
 * buyers get 503 with Retry-After at once instead of after the 10 s timeout; after SIGCONT a
 * half-open probe closes it and purchases are admitted again. Recovery: the test restores the
 * process in {@code finally}.
 */
class UpstreamCircuitIT {

  private static final Pattern STOCK_CIRCUIT =
      Pattern.compile("seckill_gateway_upstream_circuit_open\\{service=\"stock-service\"} ([0-9.]+)");

  @Test
  @DisplayName("A hung stock-service opens the gateway's circuit: fast 503 with Retry-After, closed again once it is back")
  void aHungUpstreamIsAnsweredAtOnceUntilItIsBack() throws Exception {
    try (Stack stack = Stack.start(Map.of("SECKILL_RATE_PER_IP", "0", "SECKILL_RATE_PER_USER", "0"))) {
      Api api = stack.api();
      String sale = Api.uniqueId("circuit");
      api.createSale(stack.tokens.admin("cb-admin"),
          Api.openSale(sale, 100, 1, Duration.ofMinutes(10)));
      assertEquals(202, api.purchase(sale, stack.tokens.user("cb-0"), 1, null).status());
      assertEquals(0.0, circuit(api), "closed while stock-service answers");

      signal("STOP", stack.stock.pid());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        // Readiness answers from the state probed once a second, never by calling upstream per
        // request: 50 probes against a hung stock-service take far less than one 10 s call would.
        long probesStart = System.nanoTime();
        for (int i = 0; i < 50; i++) {
          int status = api.get("/health/ready", null).status();
          assertTrue(status == 200 || status == 503, "readiness answered " + status);
        }
        long probesMillis = (System.nanoTime() - probesStart) / 1_000_000;
        assertTrue(probesMillis < 5_000, "50 readiness probes took " + probesMillis + " ms: they waited on stock-service");
        Poll.await(Duration.ofSeconds(30), "readiness reports the hung stock-service",
            () -> api.get("/health/ready", null).status() == 503);
        List<CompletableFuture<Answer>> hung = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
          String token = stack.tokens.user("cb-" + i);
          hung.add(CompletableFuture.supplyAsync(() -> api.purchase(sale, token, 1, null), pool));
        }
        for (CompletableFuture<Answer> answer : hung) {
          assertEquals(503, answer.get().status(), answer.get().text());
        }
        Poll.await(Duration.ofSeconds(30), "the circuit to stock-service opens", () -> circuit(api) == 1.0);

        long start = System.nanoTime();
        Answer fast = api.purchase(sale, stack.tokens.user("cb-fast"), 1, null);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, fast.status(), fast.text());
        assertEquals("UNAVAILABLE", fast.code());
        assertEquals("1", fast.retryAfter());
        assertTrue(millis < 5_000, "answered after " + millis + " ms: the open circuit must not wait for the 10 s timeout");
      } finally {
        signal("CONT", stack.stock.pid());
        pool.shutdownNow();
      }

      Answer back = Poll.until(Duration.ofSeconds(60),
          () -> api.purchase(sale, stack.tokens.user("cb-back-" + System.nanoTime()), 1, null),
          answer -> answer.status() == 202);
      assertEquals(202, back.status(), back.text());
      Poll.await(Duration.ofSeconds(10), "the circuit closes", () -> circuit(api) == 0.0);
    }
  }

  private static double circuit(Api api) {
    Matcher m = STOCK_CIRCUIT.matcher(api.metrics().text());
    if (!m.find()) {
      throw new AssertionError("no seckill_gateway_upstream_circuit_open for stock-service in the metrics");
    }
    return Double.parseDouble(m.group(1));
  }

  /** SIGSTOP / SIGCONT of a process this test started (by its PID). */
  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    assertEquals(0, exit, "kill -" + signal + " " + pid);
  }
}
