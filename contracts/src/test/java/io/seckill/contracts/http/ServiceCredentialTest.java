package io.seckill.contracts.http;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceCredentialTest {

  private final ServiceCredential gateway = new ServiceCredential(ServiceCredential.GATEWAY, "g".repeat(40));

  @Test
  void matchesOnlyTheExactSecret() {
    assertTrue(gateway.matches("g".repeat(40)));
    assertFalse(gateway.matches("g".repeat(39)));
    assertFalse(gateway.matches("g".repeat(41)));
    assertFalse(gateway.matches("G".repeat(40)));
    assertFalse(gateway.matches(""));
    assertEquals("Bearer " + "g".repeat(40), gateway.authorization());
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
}
