package io.seckill.testkit;

import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts an answer is the {@code application/problem+json} the API contract promises. */
public final class ProblemAssert {

  private ProblemAssert() {
  }

  /** The status, the content type, the stable {@code code}, and every member a problem must have. */
  public static void assertProblem(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals(code, problem.getString("code"), response.body());
    assertEquals(status, problem.getInteger("status"));
    assertTrue(problem.containsKey("type") && problem.containsKey("title") && problem.containsKey("detail"),
        "type, title and detail: " + response.body());
  }
}
