package io.seckill.stock.restore;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.ProblemJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotRefusalTest {

  @Test
  void orderWorkersRefusalIsPassedOnAsItCame() {
    JsonObject problem = ProblemJson.body(ErrorCode.CREATIONS_IN_FLIGHT, 409, "3 creation messages …", null);
    SnapshotRefusal refusal = SnapshotRefusal.of(problem).orElseThrow();
    assertEquals(new SnapshotRefusal(ErrorCode.CREATIONS_IN_FLIGHT, 409, "3 creation messages …"), refusal);
    assertTrue(refusal.retryable());
    assertEquals(problem, ProblemJson.body(refusal.code(), refusal.status(), refusal.detail(), null));
  }

  @Test
  void aBrokerThatCouldNotSayIsRetryableAMissingSaleIsNot() {
    assertTrue(SnapshotRefusal.of(ProblemJson.body(ErrorCode.UNAVAILABLE, 503, "broker", null)).orElseThrow().retryable());
    assertFalse(SnapshotRefusal.of(ProblemJson.body(ErrorCode.SALE_NOT_FOUND, 404, "no sale", null)).orElseThrow()
        .retryable());
  }

  @Test
  void aSnapshotOrAnythingElseIsNotARefusal() {
    assertEquals(Optional.empty(), SnapshotRefusal.of(null));
    assertEquals(Optional.empty(), SnapshotRefusal.of(new JsonObject().put("sale", new JsonObject()).put("available", 1)));
    assertEquals(Optional.empty(), SnapshotRefusal.of(new JsonObject().put("code", "NO_SUCH_CODE").put("status", 409)));
    assertEquals(Optional.empty(), SnapshotRefusal.of(new JsonObject().put("code", "SALE_LIVE").put("status", 200)));
    assertEquals(Optional.empty(), SnapshotRefusal.of(new JsonObject().put("code", "SALE_LIVE")));
    // a snapshot carrying a stray code is still checked as a snapshot (and refused as malformed)
    assertEquals(Optional.empty(), SnapshotRefusal.of(new JsonObject().put("sale", new JsonObject())
        .put("code", "SALE_LIVE").put("status", 409)));
  }
}
