package io.seckill.stock.sale;

import io.seckill.stock.RedisConfig;
import io.seckill.stock.StockMetrics;
import io.seckill.stock.redis.RedisClients;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.redis.StockScripts.Script;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Retires ended, settled sales from Redis: once a sale's retention period has passed after its
 * last payment window closed and its outbox is empty, retire-6.lua deletes its keys (MySQL keeps
 * the sale and its orders) and the sale leaves {@link SaleKeys#SALES}, so the outbox loop stops
 * visiting it. Without this every sale ever created would stay in Redis and in every loop.
 *
 * <p>Every stock-service instance runs it; the script decides atomically, so two instances
 * retiring the same sale is harmless. A crash between the script and the SREM is repaired by the
 * next round (the sale is then ABSENT and is removed from the set).
 */
public final class SaleRetirement extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SaleRetirement.class);
  private static final long MIN_PERIOD_MS = 1_000;
  private static final long MAX_PERIOD_MS = 60_000;

  private final RedisConfig redisConfig;
  private final long retentionMillis;
  private final StockMetrics metrics;
  private Redis client;
  private RedisAPI redis;
  private StockScripts scripts;
  private long timer = -1;
  private boolean running;

  public SaleRetirement(RedisConfig redisConfig, long retentionMillis, StockMetrics metrics) {
    this.redisConfig = redisConfig;
    this.retentionMillis = retentionMillis;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    client = RedisClients.create(vertx, redisConfig);
    redis = RedisAPI.api(client);
    scripts = StockScripts.fromClasspath(client, redisConfig.cluster(), metrics::scriptReloaded);
    // a quarter of the retention, so a sale is retired at most 25% late; within [1 s, 60 s]
    long period = Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, retentionMillis / 4));
    timer = vertx.setPeriodic(period, id -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return client.close();
  }

  /** One pass over every warmed sale; a pass still running when the timer fires is not doubled. */
  private void round() {
    if (running) {
      return;
    }
    running = true;
    redis.smembers(SaleKeys.SALES)
        .compose(this::retireEach)
        .onFailure(e -> LOG.warn("sale retirement round failed, trying again next round: {}", e.getMessage()))
        .onComplete(ar -> running = false);
  }

  private Future<Void> retireEach(Response members) {
    List<String> ids = new ArrayList<>();
    members.forEach(member -> ids.add(member.toString()));
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> retire(id));
    }
    return chain;
  }

  private Future<Void> retire(String saleId) {
    SaleKeys keys = new SaleKeys(saleId);
    return scripts.run(Script.RETIRE, keys.forRetire(), List.of(Long.toString(retentionMillis)))
        .compose(reply -> switch (reply.toInteger()) {
          case 1 -> {
            LOG.info("sale {} retired from Redis: ended, settled and past its retention", saleId);
            metrics.saleRetired();
            yield forget(saleId);
          }
          case -1 -> forget(saleId);
          default -> Future.succeededFuture();
        });
  }

  private Future<Void> forget(String saleId) {
    return redis.srem(List.of(SaleKeys.SALES, saleId)).mapEmpty();
  }
}
