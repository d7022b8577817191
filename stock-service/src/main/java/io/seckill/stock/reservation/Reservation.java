package io.seckill.stock.reservation;

import io.seckill.contracts.Ids;
import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.OrderUnits;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A reservation as recorded in {@code sale:{S}:res}: the record string
 * {@code userId|quantity|reservedAt|expiresAt|state} written by reserve-5.lua.
 */
public record Reservation(String orderId, String saleId, String userId, int quantity,
                          long reservedAt, long expiresAt, boolean released)
    implements OrderUnits {

  /** Parses a record; the user id cannot contain '|' ({@link Ids#USER_ID}). */
  public static Reservation parse(String orderId, String record) {
    String[] parts = record.split("\\|");
    if (parts.length != 5) {
      throw new IllegalStateException("malformed reservation record for " + orderId + ": " + record);
    }
    return new Reservation(orderId, Ids.saleOf(orderId), parts[0], Integer.parseInt(parts[1]),
        Long.parseLong(parts[2]), Long.parseLong(parts[3]), "X".equals(parts[4]));
  }

  public String status() {
    return released ? "RELEASED" : "RESERVED";
  }

  public JsonObject toJson() {
    return unitsJson()
        .put("status", status())
        .put("reservedAt", Instant.ofEpochMilli(reservedAt).toString())
        .put("expiresAt", Instant.ofEpochMilli(expiresAt).toString());
  }

  public OrderMessage toMessage() {
    return new OrderMessage(orderId, saleId, userId, quantity, reservedAt, expiresAt);
  }
}
