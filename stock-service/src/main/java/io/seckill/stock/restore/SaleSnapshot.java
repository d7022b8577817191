package io.seckill.stock.restore;

import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sale as MySQL holds it (order-worker's {@code GET /internal/sales/{id}/snapshot}), validated
 * before anything is written: a snapshot that does not add up ({@code available + Σ held ≠ stock},
 * an order holding more than its user) would restore a Redis that oversells or strands units.
 *
 * @param orders orders awaiting payment: each becomes a RESERVED record
 * @param held   units per user, awaiting payment + paid, in the snapshot's order
 */
public record SaleSnapshot(SaleDefinition sale, int available, List<LiveOrder> orders, Map<String, Long> held) {

  private static final Set<String> FIELDS = Set.of("sale", "available", "orders", "held", "takenAt");
  private static final Set<String> ORDER_FIELDS = Set.of("orderId", "userId", "quantity", "createdAt", "expiresAt");

  /** An order awaiting payment. */
  public record LiveOrder(String orderId, String userId, int quantity, long createdAt, long expiresAt) {

    /** The reservation record reserve-5.lua writes: {@code userId|quantity|reservedAt|expiresAt|R}. */
    String record() {
      return userId + "|" + quantity + "|" + createdAt + "|" + expiresAt + "|R";
    }
  }

  /**
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static SaleSnapshot fromJson(JsonObject json, String saleId) {
    if (json == null) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    if (!(json.getValue("sale") instanceof JsonObject definition)) {
      throw new IllegalArgumentException("'sale' must be the sale definition object");
    }
    SaleDefinition sale = SaleDefinition.fromJson(definition);
    if (!sale.id().equals(saleId)) {
      throw new IllegalArgumentException("'sale.id' must equal the sale id in the path");
    }
    long available = integer(json.getValue("available"), "'available'");
    if (available < 0 || available > sale.stock()) {
      throw new IllegalArgumentException("'available' must be between 0 and the stock " + sale.stock());
    }
    Map<String, Long> held = held(json.getValue("held"), sale);
    List<LiveOrder> orders = orders(json.getValue("orders"), sale);

    long heldUnits = held.values().stream().mapToLong(Long::longValue).sum();
    if (available + heldUnits != sale.stock()) {
      throw new IllegalArgumentException("the snapshot does not add up: available " + available + " + held "
          + heldUnits + " != stock " + sale.stock());
    }
    Map<String, Long> live = new HashMap<>();
    orders.forEach(order -> live.merge(order.userId(), (long) order.quantity(), Long::sum));
    live.forEach((user, units) -> {
      if (units > held.getOrDefault(user, 0L)) {
        throw new IllegalArgumentException("user '" + user + "' has " + units + " units awaiting payment but holds "
            + held.getOrDefault(user, 0L));
      }
    });
    return new SaleSnapshot(sale, (int) available, orders, held);
  }

  private static Map<String, Long> held(Object value, SaleDefinition sale) {
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("'held' must be an object of userId -> units");
    }
    Map<String, Long> held = new LinkedHashMap<>();
    for (String user : json.fieldNames()) {
      if (!Ids.isUserId(user)) {
        throw new IllegalArgumentException("'held' has a malformed user id");
      }
      long units = integer(json.getValue(user), "'held." + user + "'");
      if (units < 1 || units > sale.stock()) {
        throw new IllegalArgumentException("'held." + user + "' must be between 1 and the stock");
      }
      held.put(user, units);
    }
    return held;
  }

  private static List<LiveOrder> orders(Object value, SaleDefinition sale) {
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("'orders' must be an array");
    }
    List<LiveOrder> orders = new ArrayList<>(array.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "'orders[" + i + "]'";
      if (!(array.getValue(i) instanceof JsonObject order)) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      for (String field : order.fieldNames()) {
        if (!ORDER_FIELDS.contains(field)) {
          throw new IllegalArgumentException(where + " has an unknown field '" + field + "'");
        }
      }
      String orderId = order.getValue("orderId") instanceof String s ? s : "";
      if (!Ids.isOrderId(orderId) || !Ids.saleOf(orderId).equals(sale.id())) {
        throw new IllegalArgumentException(where + ".orderId must be an order id of sale " + sale.id());
      }
      if (!ids.add(orderId)) {
        throw new IllegalArgumentException(where + ".orderId repeats " + orderId);
      }
      String userId = order.getValue("userId") instanceof String s ? s : "";
      if (!Ids.isUserId(userId)) {
        throw new IllegalArgumentException(where + ".userId is malformed");
      }
      long quantity = integer(order.getValue("quantity"), where + ".quantity");
      if (quantity < 1 || quantity > sale.perUserLimit()) {
        throw new IllegalArgumentException(where + ".quantity must be between 1 and the per-user limit");
      }
      long createdAt = instant(order.getValue("createdAt"), where + ".createdAt");
      long expiresAt = instant(order.getValue("expiresAt"), where + ".expiresAt");
      if (expiresAt < createdAt) {
        throw new IllegalArgumentException(where + ".expiresAt is before its createdAt");
      }
      orders.add(new LiveOrder(orderId, userId, (int) quantity, createdAt, expiresAt));
    }
    return orders;
  }

  private static long integer(Object value, String what) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(what + " must be an integer");
  }

  private static long instant(Object value, String what) {
    if (value instanceof String text) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e) {
        // fall through to the one message
      }
    }
    throw new IllegalArgumentException(what + " must be an ISO-8601 instant");
  }
}
