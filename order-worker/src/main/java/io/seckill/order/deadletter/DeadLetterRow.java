package io.seckill.order.deadletter;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** One row of {@code dead_letter}; the column order of every SELECT matches the components. */
public record DeadLetterRow(long id, String messageId, String sourceTopic, String messageKey, String reason,
                            String detail, byte[] body, Instant recordedAt, Instant replayedAt) {

  /** An entry of {@code GET /internal/dead-letters}; the body as text (every topic carries JSON). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("messageId", messageId)
        .put("sourceTopic", sourceTopic)
        .put("key", messageKey)
        .put("reason", reason)
        .put("detail", detail)
        .put("body", new String(body, StandardCharsets.UTF_8))
        .put("recordedAt", recordedAt.toString())
        .put("replayedAt", replayedAt == null ? null : replayedAt.toString());
  }
}
