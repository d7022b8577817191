package io.seckill.gateway;

import io.seckill.gateway.support.IsolatedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway whose stock-service and order-worker are down: alive, not ready, and never a hang. */
class HealthTest {

  private static IsolatedGateway isolated;

  @BeforeAll
  static void start() throws Exception {
    isolated = IsolatedGateway.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    isolated.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return isolated.get(path);
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
    isolated.gateway().draining().set(true);
    try {
      HttpResponse<String> ready = get("/health/ready");
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("shutting down"), ready.body());
    } finally {
      isolated.gateway().draining().set(false);
    }
  }
}
