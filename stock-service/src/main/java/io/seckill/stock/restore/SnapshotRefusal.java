package io.seckill.stock.restore;

import io.seckill.contracts.ErrorCode;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * order-worker's refusal to give a snapshot, posted to the restore in its place: the operator's
 * {@code curl …/snapshot | curl --data-binary @- …/restore} pipes whatever the snapshot answered.
 * When that was a problem (409 {@code CREATIONS_IN_FLIGHT}: creation messages are still in the
 * broker; 503: the broker could not say; 404 …), the restore changes nothing and answers the same
 * problem, so the operator reads the snapshot's reason instead of "malformed snapshot".
 */
public record SnapshotRefusal(ErrorCode code, int status, String detail) {

  /** The problem in {@code body}, if the body is one (a problem+json naming a known code) and not a snapshot. */
  public static Optional<SnapshotRefusal> of(JsonObject body) {
    if (body == null || body.containsKey("sale") || !(body.getValue("code") instanceof String name)
        || !(body.getValue("status") instanceof Number status)) {
      return Optional.empty();
    }
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
    int answered = status.intValue();
    if (answered < 400 || answered > 599) {
      return Optional.empty();
    }
    Object detail = body.getValue("detail");
    return Optional.of(new SnapshotRefusal(code, answered, detail instanceof String d ? d : code.title()));
  }

  /** Whether asking again later can succeed (the snapshot's {@code Retry-After}). */
  public boolean retryable() {
    return code == ErrorCode.CREATIONS_IN_FLIGHT || status == 503;
  }
}
