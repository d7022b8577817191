package io.seckill.stock.botdefense;

import io.seckill.stock.redis.SaleKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/**
 * The memory that makes a proof-of-work solution good for one ticket only, shared by every gateway
 * replica: one {@code SET key 1 NX EX ttl} per solution, under the sale's hash tag. The gateway asks
 * with the challenge's hash and the seconds until the challenge expires; after that the challenge
 * itself is refused, so the key may go.
 */
public final class SolutionLedger {

  private final RedisAPI redis;

  public SolutionLedger(RedisAPI redis) {
    this.redis = redis;
  }

  /** True the first time {@code challenge} is presented for {@code saleId}, false ever after (within ttl). */
  public Future<Boolean> acceptOnce(String saleId, String challenge, long ttlSeconds) {
    return redis.set(List.of(new SaleKeys(saleId).solution(challenge), "1", "NX", "EX", Long.toString(ttlSeconds)))
        .map(reply -> reply != null);
  }
}
