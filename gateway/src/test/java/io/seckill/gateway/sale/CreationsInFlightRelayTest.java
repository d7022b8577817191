package io.seckill.gateway.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.SaleDefinition;
import io.seckill.contracts.http.ProblemJson;
import io.seckill.gateway.GatewayConfig;
import io.seckill.gateway.support.IsolatedGateway;
import io.seckill.gateway.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The gateway's two restore paths, {@code POST /admin/sales/{id}/restore} and a repeated
 * {@code POST /admin/sales}, against an order-worker stand-in that refuses the snapshot with 409
 * {@code CREATIONS_IN_FLIGHT}: the operator gets that refusal as it came (not {@code SALE_LIVE} or
 * {@code SALE_EXISTS}), with {@code Retry-After}, and stock-service is never asked to restore. A sale
 * Redis still holds is {@code SALE_LIVE} without a snapshot being asked for.
 */
class CreationsInFlightRelayTest {

  private static final String DETAIL = "2 creation messages are in the broker but not yet in MySQL (1 queue)";
  private static final String SALE = new SaleDefinition("relay-sale", "relay", 5, 1,
      Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z"), Duration.ofSeconds(60))
      .toJson().encode();

  private static Vertx vertx;
  private static HttpServer orderWorker;
  private static IsolatedGateway gateway;
  private static final List<String> stockCalls = new CopyOnWriteArrayList<>();
  private static final List<String> orderWorkerCalls = new CopyOnWriteArrayList<>();
  private static HttpServer stockService;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    orderWorker = vertx.createHttpServer().requestHandler(req -> {
      orderWorkerCalls.add(req.method() + " " + req.path());
      if (req.path().endsWith("/snapshot")) {
        req.response().putHeader("Retry-After", "1");
        ProblemJson.send(req.response(), ErrorCode.CREATIONS_IN_FLIGHT, DETAIL);
      } else if (req.path().equals("/internal/sales")) {
        // MySQL already holds the sale: the gateway restores Redis from the snapshot
        req.body().onSuccess(body -> req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(body));
      } else {
        ProblemJson.send(req.response(), ErrorCode.NOT_FOUND, "no " + req.path());
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stockService = vertx.createHttpServer().requestHandler(req -> {
      stockCalls.add(req.method() + " " + req.path());
      if (req.path().equals("/internal/sales/live-sale")) {
        req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("available", 3).encode());
      } else if (req.method() == HttpMethod.GET) {
        // Redis lost the sale
        ProblemJson.send(req.response(), ErrorCode.SALE_NOT_FOUND, "no sale in Redis");
      } else {
        ProblemJson.send(req.response(), ErrorCode.INTERNAL_ERROR, "the stand-in must not be asked to restore");
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway = IsolatedGateway.start(Map.of(
        "SECKILL_ORDER_URL", "http://127.0.0.1:" + orderWorker.actualPort(),
        "SECKILL_STOCK_URL", "http://127.0.0.1:" + stockService.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    String token = new Tokens(GatewayConfig.DEV_JWT_SECRET).admin("operator");
    return gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRelayed(HttpResponse<String> answer) {
    assertEquals(409, answer.statusCode(), answer.body());
    assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), answer.headers().toString());
    assertEquals(ProblemJson.body(ErrorCode.CREATIONS_IN_FLIGHT, 409, DETAIL, null), new JsonObject(answer.body()));
  }

  @Test
  void theRestoreRoutePassesTheRefusalOn() throws Exception {
    assertRelayed(post("/admin/sales/relay-sale/restore", ""));
    assertFalse(stockCalls.stream().anyMatch(c -> c.endsWith("/restore")), stockCalls.toString());
  }

  @Test
  void aRepeatedCreationPassesTheRefusalOn() throws Exception {
    assertRelayed(post("/admin/sales", SALE));
    assertFalse(stockCalls.stream().anyMatch(c -> c.endsWith("/restore")), stockCalls.toString());
  }

  @Test
  void aSaleRedisHoldsIsLiveWithoutAskingForASnapshot() throws Exception {
    HttpResponse<String> answer = post("/admin/sales/live-sale/restore", "");
    assertEquals(409, answer.statusCode(), answer.body());
    assertEquals("SALE_LIVE", new JsonObject(answer.body()).getString("code"));
    assertFalse(orderWorkerCalls.contains("GET /internal/sales/live-sale/snapshot"), orderWorkerCalls.toString());
  }
}
