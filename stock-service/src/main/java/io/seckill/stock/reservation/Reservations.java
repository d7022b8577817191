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

  /** Idempotency entries per page of the keyed list (HSCAN's COUNT hint). */
  static final int KEYED_PAGE = 500;

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
   * One page of the sale's reservations made with an {@code Idempotency-Key}: the reservation's
   * JSON plus {@code idempotencyKey}. At most one per unit ever reserved, so a gateway can hold a
   * sold-out sale's list and replay a retry that another gateway admitted. Paged with HSCAN from
   * {@code cursor} ("0" to start), so no reply holds a big sale's whole list; a page may repeat an
   * entry of an earlier one (HSCAN's guarantee), which a reader merging by key does not notice.
   */
  public Future<KeyedPage> keyed(String saleId, String cursor) {
    SaleKeys keys = new SaleKeys(saleId);
    return redis.hscan(List.of(keys.idempotency(), cursor, "COUNT", Integer.toString(KEYED_PAGE)))
        .compose(page -> {
          String next = page.get(0).toString();
          return records(keys, page.get(1)).map(list -> new KeyedPage(list, "0".equals(next) ? null : next));
        });
  }

  /** A page of keyed reservations and the cursor of the next one (null after the last). */
  public record KeyedPage(List<JsonObject> reservations, String next) {
  }

  private Future<List<JsonObject>> records(SaleKeys keys, Response pairs) {
    List<String> fields = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(keys.reservations());
    for (int i = 0; pairs != null && i + 1 < pairs.size(); i += 2) {
      fields.add(pairs.get(i).toString());
      args.add(pairs.get(i + 1).toString());
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
  }

  /** The reservation with this order id (already checked against {@code Ids.ORDER_ID}), or null. */
  public Future<Reservation> find(String orderId) {
    SaleKeys keys = new SaleKeys(Ids.saleOf(orderId));
    return redis.hget(keys.reservations(), orderId)
        .map(record -> record == null ? null : Reservation.parse(orderId, record.toString()));
  }
}
