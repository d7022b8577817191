package io.seckill.stock.release;

import io.seckill.contracts.Ids;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;

import java.util.List;

/** Returns a reservation's units to its sale, exactly once (release-4.lua). */
public final class Releases {

  private final StockScripts scripts;

  public Releases(StockScripts scripts) {
    this.scripts = scripts;
  }

  /** @param orderId an id already checked against {@code Ids.ORDER_ID} */
  public Future<ReleaseOutcome> release(String orderId) {
    SaleKeys keys = new SaleKeys(Ids.saleOf(orderId));
    return scripts.run(Script.RELEASE, keys.forRelease(), List.of(orderId))
        .map(reply -> ReleaseOutcome.fromCode(reply.get(0).toInteger()));
  }
}
