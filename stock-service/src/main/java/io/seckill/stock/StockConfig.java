package io.seckill.stock;

import java.util.Map;

/** Every stock-service setting, read once from the environment in {@link Main}. */
public record StockConfig(int httpPort, int eventLoops, RedisConfig redis, RocketMqConfig rocketMq,
                          OutboxConfig outbox, int shutdownGraceMillis) {

  public static StockConfig fromEnv(Map<String, String> env) {
    int port = Env.intVar(env, "SECKILL_STOCK_PORT", 8081, 0, 65535);
    return new StockConfig(
        port,
        Env.intVar(env, "SECKILL_STOCK_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 64),
        RedisConfig.fromEnv(env),
        RocketMqConfig.fromEnv(env),
        OutboxConfig.fromEnv(env, port),
        Env.intVar(env, "SECKILL_SHUTDOWN_GRACE_MS", 10_000, 0, 120_000));
  }
}
