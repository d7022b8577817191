package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemJsonTest {

  private static final CompletableFuture<Boolean> SEND_AFTER_END = new CompletableFuture<>();
  private static final CompletableFuture<Boolean> SEND_AFTER_HEAD = new CompletableFuture<>();
  private static LocalServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalServer.start(router -> {
      router.get("/sold-out").handler(ctx -> ProblemJson.send(ctx.response(), ErrorCode.SOLD_OUT, "no units left"));
      router.get("/upstream").handler(ctx -> ProblemJson.send(ctx.response(), ErrorCode.UNAVAILABLE, 502,
          "stock-service is down", new JsonObject().put("retryAfter", 1)));
      router.get("/ended").handler(ctx -> {
        ctx.response().end("done");
        ProblemJson.send(ctx.response(), ErrorCode.INTERNAL_ERROR, "too late")
            .onComplete(ar -> SEND_AFTER_END.complete(ar.succeeded()));
      });
      router.get("/head-written").handler(ctx -> {
        ctx.response().setChunked(true).write("partial");
        ProblemJson.send(ctx.response(), ErrorCode.INTERNAL_ERROR, "too late")
            .onComplete(ar -> SEND_AFTER_HEAD.complete(ar.succeeded()));
        ctx.response().end("-rest");
      });
    });
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void aProblemHasEveryStandardFieldAndTheStableCode() {
    JsonObject body = ProblemJson.body(ErrorCode.UNAUTHORIZED, 401, "no credential", new JsonObject().put("x", 1));
    assertEquals(new JsonObject().put("type", "https://seckill.io/problems/unauthorized").put("title", "Unauthorized")
        .put("status", 401).put("detail", "no credential").put("code", "UNAUTHORIZED").put("x", 1), body);
    assertEquals(ErrorCode.FORBIDDEN, ProblemJson.forStatus(403));
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, ProblemJson.forStatus(413));
    assertEquals(ErrorCode.BAD_REQUEST, ProblemJson.forStatus(431));
    assertEquals(ErrorCode.INTERNAL_ERROR, ProblemJson.forStatus(500));
  }

  @Test
  void creationsInFlightIsAConflictWithItsOwnTypeAndTitle() {
    JsonObject body = ProblemJson.body(ErrorCode.CREATIONS_IN_FLIGHT, ErrorCode.CREATIONS_IN_FLIGHT.status(),
        "3 creation messages are not in MySQL yet", null);
    assertEquals(new JsonObject().put("type", "https://seckill.io/problems/creations-in-flight")
        .put("title", "Order creations in flight").put("status", 409)
        .put("detail", "3 creation messages are not in MySQL yet").put("code", "CREATIONS_IN_FLIGHT"), body);
  }

  @Test
  void aProblemWithoutExtrasHasExactlyTheFiveStandardFieldsInOrder() {
    JsonObject body = ProblemJson.body(ErrorCode.SOLD_OUT, 409, "no units left", null);
    assertEquals(List.of("type", "title", "status", "detail", "code"), List.copyOf(body.fieldNames()));
    assertEquals("{\"type\":\"https://seckill.io/problems/sold-out\",\"title\":\"Sold out\",\"status\":409,"
        + "\"detail\":\"no units left\",\"code\":\"SOLD_OUT\"}", body.encode());
  }

  @Test
  void theBodyCarriesThePassedStatusNotTheCodesOwn() {
    JsonObject body = ProblemJson.body(ErrorCode.UNAVAILABLE, 502, "upstream answered 502", null);
    assertEquals(502, body.getInteger("status"));
    assertEquals("UNAVAILABLE", body.getString("code"));
    assertEquals(ErrorCode.UNAVAILABLE.title(), body.getString("title"));
  }

  @Test
  void everyStatusVertxWebDecidesItselfMapsToTheCodeOfThatStatus() {
    for (int status : new int[] {401, 403, 404, 405, 413, 415, 503}) {
      ErrorCode code = ProblemJson.forStatus(status);
      assertEquals(status, code.status(), status + " -> " + code);
    }
    assertEquals(ErrorCode.NOT_FOUND, ProblemJson.forStatus(404), "the generic 404, not SALE_NOT_FOUND or ORDER_NOT_FOUND");
    assertEquals(ErrorCode.UNAUTHORIZED, ProblemJson.forStatus(401));
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED, ProblemJson.forStatus(405));
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ProblemJson.forStatus(415));
    assertEquals(ErrorCode.UNAVAILABLE, ProblemJson.forStatus(503));
  }

  @Test
  void anyOtherClientErrorIsABadRequestAndAnyOtherStatusAnInternalError() {
    for (int status : new int[] {400, 402, 409, 414, 422, 499}) {
      assertEquals(ErrorCode.BAD_REQUEST, ProblemJson.forStatus(status), String.valueOf(status));
    }
    for (int status : new int[] {500, 501, 502, 504, 599}) {
      assertEquals(ErrorCode.INTERNAL_ERROR, ProblemJson.forStatus(status), String.valueOf(status));
    }
  }

  @Test
  void sendAnswersWithTheCodesOwnStatusAsProblemJson() throws Exception {
    HttpResponse<String> response = server.get("/sold-out");
    assertEquals(409, response.statusCode());
    assertEquals(ProblemJson.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(null));
    assertEquals(ProblemJson.body(ErrorCode.SOLD_OUT, 409, "no units left", null), new JsonObject(response.body()));
  }

  @Test
  void sendPassesAnUpstreamStatusThroughWithTheExtraFields() throws Exception {
    HttpResponse<String> response = server.get("/upstream");
    assertEquals(502, response.statusCode());
    assertEquals(ProblemJson.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(null));
    JsonObject body = new JsonObject(response.body());
    assertEquals(502, body.getInteger("status"));
    assertEquals("UNAVAILABLE", body.getString("code"));
    assertEquals("stock-service is down", body.getString("detail"));
    assertEquals(1, body.getInteger("retryAfter"));
  }

  @Test
  void sendDoesNothingOnceTheAnswerHasEnded() throws Exception {
    HttpResponse<String> response = server.get("/ended");
    assertEquals(200, response.statusCode());
    assertEquals("done", response.body());
    assertTrue(SEND_AFTER_END.get(10, TimeUnit.SECONDS), "the late send is a succeeded no-op, not a failure");
  }

  @Test
  void sendDoesNothingOnceTheHeadIsWritten() throws Exception {
    HttpResponse<String> response = server.get("/head-written");
    assertEquals(200, response.statusCode());
    assertEquals("partial-rest", response.body());
    assertNotEquals(ProblemJson.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(SEND_AFTER_HEAD.get(10, TimeUnit.SECONDS), "the late send is a succeeded no-op, not a failure");
  }
}
