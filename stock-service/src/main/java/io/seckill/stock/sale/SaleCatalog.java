package io.seckill.stock.sale;

import io.seckill.contracts.SaleDefinition;
import io.seckill.stock.OutboxConfig;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/** Sales in Redis: warm one (warm-3.lua), read its counters (stats-1.lua). */
public final class SaleCatalog {

  private final StockScripts scripts;
  private final RedisAPI redis;

  public SaleCatalog(StockScripts scripts, RedisAPI redis) {
    this.scripts = scripts;
    this.redis = redis;
  }

  /**
   * Warms a sale. The id joins {@link SaleKeys#SALES} only after the script succeeded; a crash in
   * between is repaired by repeating the (idempotent) warm-up.
   */
  public Future<WarmOutcome> warm(SaleDefinition sale) {
    SaleKeys keys = new SaleKeys(sale.id());
    List<String> args = List.of(sale.item(), Integer.toString(sale.stock()), Integer.toString(sale.perUserLimit()),
        Long.toString(sale.startsAt().toEpochMilli()), Long.toString(sale.endsAt().toEpochMilli()),
        Long.toString(sale.paymentWindow().toMillis()), OutboxConfig.GROUP, sale.botDefense().toText());
    return scripts.run(Script.WARM, keys.forWarm(), args)
        .map(reply -> WarmOutcome.fromCode(reply.toInteger()))
        .compose(outcome -> outcome == WarmOutcome.SALE_LIVE ? Future.succeededFuture(outcome)
            : redis.sadd(List.of(SaleKeys.SALES, sale.id())).map(outcome));
  }

  /** The sale's counters, or null when it is not in Redis. */
  public Future<SaleCounters> counters(String saleId) {
    return scripts.run(Script.STATS, new SaleKeys(saleId).forStats(), List.of())
        .map(reply -> SaleCounters.fromReply(saleId, reply));
  }
}
