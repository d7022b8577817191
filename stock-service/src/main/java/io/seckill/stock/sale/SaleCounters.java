package io.seckill.stock.sale;

import io.seckill.contracts.BotDefense;
import io.seckill.contracts.SaleDefinition;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.time.Instant;

/**
 * A sale's definition and Redis counters from one atomic read (stats-1.lua). Units held now are
 * {@code reservedUnits - releasedUnits}, and {@code available + held = stock}.
 */
public record SaleCounters(String id, String item, int stock, int perUserLimit, long startsAt, long endsAt,
                           long paymentWindowMillis, long available, long reservedUnits, long releasedUnits,
                           long reservations, BotDefense botDefense) {

  /** Null when the reply is empty (the sale is not in Redis). */
  static SaleCounters fromReply(String id, Response reply) {
    if (reply == null || reply.size() == 0) {
      return null;
    }
    return new SaleCounters(id, reply.get(0).toString(), reply.get(1).toInteger(), reply.get(2).toInteger(),
        reply.get(3).toLong(), reply.get(4).toLong(), reply.get(5).toLong(), reply.get(6).toLong(),
        reply.get(7).toLong(), reply.get(8).toLong(), reply.get(9).toLong(),
        BotDefense.fromText(reply.size() > 10 && reply.get(10) != null ? reply.get(10).toString() : null));
  }

  public long heldUnits() {
    return reservedUnits - releasedUnits;
  }

  /** The sale's definition as Redis holds it. */
  public SaleDefinition definition() {
    return new SaleDefinition(id, item, stock, perUserLimit, Instant.ofEpochMilli(startsAt), Instant.ofEpochMilli(endsAt),
        Duration.ofMillis(paymentWindowMillis), botDefense);
  }

  /** The definition's JSON followed by the counters. */
  public JsonObject toJson() {
    return definition().toJson()
        .put("available", available)
        .put("reservedUnits", reservedUnits)
        .put("releasedUnits", releasedUnits)
        .put("heldUnits", heldUnits())
        .put("reservations", reservations);
  }
}
