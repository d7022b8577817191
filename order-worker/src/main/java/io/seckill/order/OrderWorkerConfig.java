package io.seckill.order;

import java.util.Map;

/** Everything the worker reads from its environment, once, in {@link Main}. */
public record OrderWorkerConfig(int port, String stockUrl, MysqlConfig mysql, RocketMqConfig rocketMq,
                                int reconcileSeconds, RecoveryConfig recovery) {

  public static OrderWorkerConfig fromEnv(Map<String, String> env) {
    String stockUrl = env.get("SECKILL_STOCK_URL");
    if (stockUrl == null || stockUrl.isBlank()) {
      stockUrl = "http://127.0.0.1:" + Env.integer(env, "SECKILL_STOCK_PORT", 8081, 1, 65535);
    }
    return new OrderWorkerConfig(
        Env.integer(env, "SECKILL_ORDER_PORT", 8082, 0, 65535),
        stockUrl,
        MysqlConfig.fromEnv(env),
        RocketMqConfig.fromEnv(env),
        Env.integer(env, "SECKILL_ORDER_RECONCILE_SECONDS", 30, 0, 3600),
        RecoveryConfig.fromEnv(env));
  }

  public OrderWorkerConfig withPort(int newPort) {
    return new OrderWorkerConfig(newPort, stockUrl, mysql, rocketMq, reconcileSeconds, recovery);
  }
}
