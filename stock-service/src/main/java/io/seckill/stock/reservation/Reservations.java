package io.seckill.stock.reservation;

import io.seckill.contracts.Ids;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/** Reservations in Redis: make one atomically (reserve-5.lua), look one up. */
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
    return scripts.run(Script.RESERVE, keys.forReserve(), args).map(ReserveOutcome::fromReply);
  }

  /** The reservation with this order id (already checked against {@code Ids.ORDER_ID}), or null. */
  public Future<Reservation> find(String orderId) {
    SaleKeys keys = new SaleKeys(Ids.saleOf(orderId));
    return redis.hget(keys.reservations(), orderId)
        .map(record -> record == null ? null : Reservation.parse(orderId, record.toString()));
  }
}
