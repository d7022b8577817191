package io.seckill.stock.reservation;

import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A validated reservation request {@code {"userId","quantity","idempotencyKey"?}}. Everything is
 * checked here, before Redis is touched: an absurd quantity never costs a script run.
 */
public record ReserveRequest(String userId, int quantity, String idempotencyKey) {

  private static final Set<String> FIELDS = Set.of("userId", "quantity", "idempotencyKey");

  /** @throws IllegalArgumentException with a message fit for a 400 {@code detail} */
  public static ReserveRequest fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    Object user = json.getValue("userId");
    if (!(user instanceof String userId) || !Ids.isUserId(userId)) {
      throw new IllegalArgumentException("'userId' must be 1-64 of A-Z a-z 0-9 . _ @ -");
    }
    Object quantity = json.getValue("quantity");
    if (!(quantity instanceof Integer || quantity instanceof Long)) {
      throw new IllegalArgumentException("'quantity' must be an integer");
    }
    long units = ((Number) quantity).longValue();
    // No sale allows more than MAX_PER_USER_LIMIT units to one user, so more can never succeed.
    if (units < 1 || units > SaleDefinition.MAX_PER_USER_LIMIT) {
      throw new IllegalArgumentException("'quantity' must be between 1 and " + SaleDefinition.MAX_PER_USER_LIMIT);
    }
    Object key = json.getValue("idempotencyKey");
    if (key != null && (!(key instanceof String k) || !Ids.isIdempotencyKey(k))) {
      throw new IllegalArgumentException("'idempotencyKey' must be 1-128 printable ASCII characters without spaces");
    }
    return new ReserveRequest(userId, (int) units, (String) key);
  }
}
