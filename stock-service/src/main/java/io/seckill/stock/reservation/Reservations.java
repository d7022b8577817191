package io.seckill.stock.reservation;

import io.seckill.contracts.Ids;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/** Reservations in Redis: make one atomically (reserve-5.lua), look one up, list the keyed ones. */
public final class Reservations {

  private final StockScripts scripts;
  private final RedisAPI redis;

  public Reservations(StockScripts scripts, RedisAPI redis) {
    this.scripts = scripts;
    this.redis = redis;
  }

  /**
   * Reserves units for a user. The order id is made here, before the script, and used unless the
   * idempotency key replays an earlier reservation.
   */
  public Future<ReserveOutcome> reserve(String saleId, ReserveRequest request) {
    SaleKeys keys = new SaleKeys(saleId);
    List<String> args = List.of(request.userId(), Integer.toString(request.quantity()),
        OrderIds.next(saleId), request.idempotencyKey() == null ? "" : request.idempotencyKey());
    return scripts.runReplicated(Script.RESERVE, keys.forReserve(), args).map(ReserveOutcome::fromReply);
  }

  /**
   * Every reservation of the sale that was made with an {@code Idempotency-Key}: the reservation's
   * JSON plus {@code idempotencyKey}. At most one per unit ever reserved, so a gateway can hold a
   * sold-out sale's list and replay a retry that another gateway admitted.
   */
  public Future<List<JsonObject>> keyed(String saleId) {
    SaleKeys keys = new SaleKeys(saleId);
    return redis.hgetall(keys.idempotency()).compose(all -> {
      List<String> fields = new ArrayList<>();
      List<String> args = new ArrayList<>();
      args.add(keys.reservations());
      for (int i = 0; all != null && i + 1 < all.size(); i += 2) {
        fields.add(all.get(i).toString());
        args.add(all.get(i + 1).toString());
      }
      if (fields.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return redis.hmget(args).map(records -> {
        List<JsonObject> out = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
          Response record = records.get(i);
          if (record == null) {
            continue;
          }
          String field = fields.get(i);
          // "userId|key": a user id has no '|', a key may
          String key = field.substring(field.indexOf('|') + 1);
          out.add(Reservation.parse(args.get(i + 1), record.toString()).toJson().put("idempotencyKey", key));
        }
        return out;
      });
    });
  }

  /** The reservation with this order id (already checked against {@code Ids.ORDER_ID}), or null. */
  public Future<Reservation> find(String orderId) {
    SaleKeys keys = new SaleKeys(Ids.saleOf(orderId));
    return redis.hget(keys.reservations(), orderId)
        .map(record -> record == null ? null : Reservation.parse(orderId, record.toString()));
  }
}
