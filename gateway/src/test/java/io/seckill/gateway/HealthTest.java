package io.seckill.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway whose stock-service and order-worker are down: alive, not ready, and never a hang. */
class HealthTest {

  private static Vertx vertx;
  private static Gateway gateway;
  private static String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    int port = ServiceProcess.freePort();
    int dead = ServiceProcess.freePort(); // nothing listens there
    GatewayConfig config = GatewayConfig.fromEnv(Map.of(
        "SECKILL_ENV", "local",
        "SECKILL_GATEWAY_PORT", Integer.toString(port),
        "SECKILL_STOCK_URL", "http://127.0.0.1:" + dead,
        "SECKILL_ORDER_URL", "http://127.0.0.1:" + dead), warning -> { });
    vertx = Vertx.vertx();
    gateway = Gateway.create(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(new GatewayVerticle(gateway)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void isLiveButNotReadyWhileItsServicesAreDown() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(503, ready.statusCode());
    assertTrue(ready.body().contains("\"code\":\"UNAVAILABLE\""), ready.body());
    assertTrue(ready.body().contains("stock-service DOWN"), ready.body());
  }

  @Test
  void servesNoMetricsOnThePublicPort() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(404, metrics.statusCode());
    assertTrue(metrics.body().contains("\"code\":\"NOT_FOUND\""), metrics.body());
  }

  @Test
  void reportsNotReadyWhileDraining() throws Exception {
    gateway.draining().set(true);
    try {
      HttpResponse<String> ready = get("/health/ready");
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("shutting down"), ready.body());
    } finally {
      gateway.draining().set(false);
    }
  }
}
