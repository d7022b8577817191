package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PathParams#checked} on real routing contexts of an in-process server on 127.0.0.1. */
class PathParamsTest {

  private static final String DEAD_LETTER_RULE = "a dead-letter id is a whole number";
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

  /** Every problem a route's writer was asked for, as "CODE: detail". */
  private static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
  /** Every value {@link PathParams#checked} returned to a route. */
  private static final List<String> RETURNED = new CopyOnWriteArrayList<>();
  /** Every value a route's predicate was shown. */
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();
  private static final String PROBLEM_CODE = "test.problem.code";
  private static final String PROBLEM_DETAIL = "test.problem.detail";
  private static LocalServer server;

  /**
   * The routes' problem writer: it records the problem and leaves the answer to the route, so that
   * everything is recorded before the client can see the answer.
   */
  private static void problem(RoutingContext ctx, ErrorCode code, String detail) {
    PROBLEMS.add(code.name() + ": " + detail);
    ctx.put(PROBLEM_CODE, code);
    ctx.put(PROBLEM_DETAIL, detail);
  }

  private static void route(Router router, String path, String name, Predicate<String> valid,
                            String detail) {
    router.get(path).handler(ctx -> {
      String value = PathParams.checked(ctx, name, v -> {
        SEEN.add(String.valueOf(v));
        return valid.test(v);
      }, detail, PathParamsTest::problem);
      RETURNED.add(String.valueOf(value));
      if (value == null) {
        ProblemJson.send(ctx.response(), ctx.get(PROBLEM_CODE), ctx.get(PROBLEM_DETAIL));
        return;
      }
      ctx.response().end("ok " + value);
    });
  }

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalServer.start(router -> {
      route(router, "/sales/:id", "id", Ids::isSaleId, PathParams.SALE_ID_RULE);
      route(router, "/orders/:orderId", "orderId", Ids::isOrderId, "malformed order id");
      route(router, "/dead-letters/:id", "id", NUMBER.asMatchPredicate(), DEAD_LETTER_RULE);
      // a route that asks for a parameter its path does not declare
      route(router, "/misnamed/:id", "saleId", Ids::isSaleId, PathParams.SALE_ID_RULE);
    });
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    PROBLEMS.clear();
    SEEN.clear();
    RETURNED.clear();
  }

  private static void assertRefused(String path, String detail) throws Exception {
    PROBLEMS.clear();
    RETURNED.clear();
    HttpResponse<String> response = server.get(path);
    assertEquals(400, response.statusCode(), path);
    assertEquals(ProblemJson.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(null), path);
    JsonObject body = new JsonObject(response.body());
    assertEquals("BAD_REQUEST", body.getString("code"), path);
    assertEquals(detail, body.getString("detail"), path);
    assertEquals(List.of("BAD_REQUEST: " + detail), PROBLEMS, path + ": the caller's writer answers, once");
    assertEquals(List.of("null"), RETURNED, path + ": the route gets null and stops");
  }

  @Test
  void aWellFormedIdIsHandedToTheRouteAndNoProblemIsWritten() throws Exception {
    HttpResponse<String> response = server.get("/sales/sale_1-A");
    assertEquals(200, response.statusCode());
    assertEquals("ok sale_1-A", response.body());
    assertEquals(List.of("sale_1-A"), SEEN);
    assertEquals(List.of("sale_1-A"), RETURNED);
    assertEquals(List.of(), PROBLEMS);

    String order = "sale-1.01ARZ3NDEKTSV4RRFFQ69G5FAV";
    assertEquals("ok " + order, server.get("/orders/" + order).body());
    assertEquals(List.of(), PROBLEMS);
  }

  @Test
  void saleIdsOfSixtyFourCharactersAreAcceptedAndOfSixtyFiveRefused() throws Exception {
    assertEquals("ok " + "x".repeat(64), server.get("/sales/" + "x".repeat(64)).body());
    assertRefused("/sales/" + "x".repeat(65), PathParams.SALE_ID_RULE);
  }

  @Test
  void aMalformedSaleIdIsABadRequestWithTheSaleIdRuleAndTheRouteStops() throws Exception {
    for (String id : new String[] {"a%20b", "a.b", "%C3%BCml", "..%2F..%2Fetc%2Fpasswd", "a%3Bb", "%00"}) {
      assertRefused("/sales/" + id, PathParams.SALE_ID_RULE);
    }
  }

  @Test
  void thePredicateJudgesTheDecodedValueTheRouteGoesOnWith() throws Exception {
    HttpResponse<String> response = server.get("/sales/sale%2D1");
    assertEquals("ok sale-1", response.body());
    assertEquals(List.of("sale-1"), SEEN);

    assertRefused("/sales/..%2Fetc", PathParams.SALE_ID_RULE);
    assertEquals("../etc", SEEN.get(SEEN.size() - 1), "the traversal is refused as what it decodes to");
  }

  @Test
  void eachRouteAnswersWithItsOwnPredicateAndDetail() throws Exception {
    assertRefused("/orders/sale-1.01ARZ3NDEKTSV4RRFFQ69G5FAI", "malformed order id");
    assertRefused("/orders/sale-1", "malformed order id");
    assertEquals("ok 12", server.get("/dead-letters/12").body());
    assertRefused("/dead-letters/12a", DEAD_LETTER_RULE);
    assertRefused("/dead-letters/-1", DEAD_LETTER_RULE);
  }

  @Test
  void aParameterThePathDoesNotDeclareIsRefusedNotPassedOnAsNull() throws Exception {
    assertRefused("/misnamed/sale-1", PathParams.SALE_ID_RULE);
    assertEquals(List.of("null"), SEEN, "the predicate is shown the missing parameter as null");
  }
}
