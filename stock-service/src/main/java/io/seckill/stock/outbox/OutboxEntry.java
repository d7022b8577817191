package io.seckill.stock.outbox;

import io.seckill.contracts.Ids;
import io.seckill.contracts.OrderMessage;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One outbox stream entry ({@code o u q r e} fields, written by reserve-5.lua). {@code order} is
 * null for an entry whose data is gone (deleted after publication, only its pending id left).
 */
record OutboxEntry(String id, OrderMessage order) {

  /** Parses a list of {@code [id, [field, value, ...]]} as XREADGROUP and XAUTOCLAIM return it. */
  static List<OutboxEntry> parseAll(Response entries) {
    List<OutboxEntry> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (Response entry : entries) {
      out.add(parse(entry));
    }
    return out;
  }

  private static OutboxEntry parse(Response entry) {
    String id = entry.get(0).toString();
    Response fields = entry.size() > 1 ? entry.get(1) : null;
    if (fields == null || fields.size() == 0) {
      return new OutboxEntry(id, null);
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      values.put(fields.get(i).toString(), fields.get(i + 1).toString());
    }
    String orderId = values.get("o");
    return new OutboxEntry(id, new OrderMessage(orderId, Ids.saleOf(orderId), values.get("u"),
        Integer.parseInt(values.get("q")), Long.parseLong(values.get("r")), Long.parseLong(values.get("e"))));
  }
}
