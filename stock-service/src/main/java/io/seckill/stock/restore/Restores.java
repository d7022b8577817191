package io.seckill.stock.restore;

import io.seckill.stock.OutboxConfig;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rebuilds a sale that Redis lost from a {@link SaleSnapshot} of MySQL: the records and holdings
 * are staged in chunks under keys of this restore alone, then restore-7.lua checks that Redis
 * does not hold the sale and renames them into place with the sale hash, atomically. Why, and
 * what comes back and what does not, is in the script's header.
 */
public final class Restores {

  /** Hash fields per staging HSET: ~100 KB per command whatever the sale's size. */
  static final int CHUNK = 1_000;
  /** Staged keys of an abandoned restore (the process died mid-way) vanish after this. */
  private static final long STAGING_TTL_MS = 3_600_000;

  private final StockScripts scripts;
  private final RedisAPI redis;

  public Restores(StockScripts scripts, RedisAPI redis) {
    this.scripts = scripts;
    this.redis = redis;
  }

  /**
   * SALE_LIVE without writing anything when Redis holds any of the sale's keys; else stages,
   * commits, and lists the sale among the warmed ones so the outbox publisher serves it.
   */
  public Future<RestoreOutcome> restore(SaleSnapshot snapshot) {
    SaleKeys keys = new SaleKeys(snapshot.sale().id());
    return heldByRedis(keys)
        .compose(held -> held ? Future.succeededFuture(RestoreOutcome.SALE_LIVE)
            : stageAndCommit(keys, UUID.randomUUID().toString(), snapshot))
        .compose(outcome -> outcome != RestoreOutcome.RESTORED ? Future.succeededFuture(outcome)
            : redis.sadd(List.of(SaleKeys.SALES, keys.saleId())).map(outcome));
  }

  /** A quick refusal before staging megabytes; the script checks again, atomically. */
  private Future<Boolean> heldByRedis(SaleKeys keys) {
    return redis.exists(List.of(keys.sale(), keys.held(), keys.reservations(), keys.idempotency()))
        .compose(exists -> exists.toInteger() > 0 ? Future.succeededFuture(true)
            : redis.xlen(keys.outbox()).map(length -> length.toLong() > 0));
  }

  private Future<RestoreOutcome> stageAndCommit(SaleKeys keys, String token, SaleSnapshot snapshot) {
    return stage(keys.stagedReservations(token), records(snapshot))
        .compose(v -> stage(keys.stagedHeld(token), holdings(snapshot)))
        .compose(v -> commit(keys, token, snapshot))
        // after a commit the staged keys are renamed away; after anything else these are leftovers
        .eventually(() -> redis.del(List.of(keys.stagedReservations(token), keys.stagedHeld(token))));
  }

  private Future<RestoreOutcome> commit(SaleKeys keys, String token, SaleSnapshot snapshot) {
    var sale = snapshot.sale();
    List<String> args = List.of(sale.item(), Integer.toString(sale.stock()), Integer.toString(sale.perUserLimit()),
        Long.toString(sale.startsAt().toEpochMilli()), Long.toString(sale.endsAt().toEpochMilli()),
        Long.toString(sale.paymentWindow().toMillis()), Integer.toString(snapshot.available()),
        Integer.toString(snapshot.orders().size()), Integer.toString(snapshot.held().size()), OutboxConfig.GROUP,
        sale.botDefense().toText());
    return scripts.run(Script.RESTORE, keys.forRestore(token), args)
        .map(reply -> RestoreOutcome.fromCode(reply.toInteger()));
  }

  /**
   * HSET in chunks, each followed by the TTL, all sent at once: they go down this event loop's one
   * pipelined connection, so a big sale costs a few round trips, not one per chunk, and Redis
   * still runs one small command at a time. Their order does not matter.
   */
  private Future<Void> stage(String key, List<String> fieldsAndValues) {
    List<Future<?>> writes = new ArrayList<>();
    for (int from = 0; from < fieldsAndValues.size(); from += 2 * CHUNK) {
      List<String> args = new ArrayList<>(1 + 2 * CHUNK);
      args.add(key);
      args.addAll(fieldsAndValues.subList(from, Math.min(fieldsAndValues.size(), from + 2 * CHUNK)));
      writes.add(redis.hset(args));
      writes.add(redis.pexpire(List.of(key, Long.toString(STAGING_TTL_MS))));
    }
    return Future.all(writes).mapEmpty();
  }

  private static List<String> records(SaleSnapshot snapshot) {
    List<String> out = new ArrayList<>(2 * snapshot.orders().size());
    for (SaleSnapshot.LiveOrder order : snapshot.orders()) {
      out.add(order.orderId());
      out.add(order.record());
    }
    return out;
  }

  private static List<String> holdings(SaleSnapshot snapshot) {
    List<String> out = new ArrayList<>(2 * snapshot.held().size());
    for (Map.Entry<String, Long> holding : snapshot.held().entrySet()) {
      out.add(holding.getKey());
      out.add(Long.toString(holding.getValue()));
    }
    return out;
  }
}
