package io.seckill.stock.redis;

import io.seckill.stock.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * Builds the Redis client each verticle owns: one pipelined connection, used from the verticle's
 * event loop only.
 */
public final class RedisClients {

  private RedisClients() {
  }

  public static Redis create(Vertx vertx, RedisConfig config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.connectionString())
        .setPassword(config.password())
        .setMaxPoolSize(2)
        .setMaxPoolWaiting(8192)
        .setMaxWaitingHandlers(8192)
        // RESP2 replies keep one shape for stream reads (arrays, not RESP3 maps).
        .setProtocolNegotiation(false)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    return new PipelinedRedis(Redis.createClient(vertx, options));
  }
}
