package io.seckill.order;

import io.seckill.contracts.Secrets;
import io.seckill.contracts.http.ServiceCredential;

import java.util.Map;

/**
 * Everything the worker reads from its environment, once, in {@link Main}.
 *
 * @param bindHost       the address both listeners bind to ({@code SECKILL_BIND_HOST}, loopback by default)
 * @param managementPort {@code /metrics} and health, never behind a public Service
 * @param gateway        the credential the gateway presents on every internal route
 * @param worker         the credential this worker presents to stock-service
 * @param recovery       retries of what can pass, the lost-timer sweep, shutdown
 */
public record OrderWorkerConfig(int port, String bindHost, int managementPort, String stockUrl,
                                ServiceCredential gateway, ServiceCredential worker,
                                MysqlConfig mysql, RocketMqConfig rocketMq, int reconcileSeconds,
                                RecoveryConfig recovery) {

  public static OrderWorkerConfig fromEnv(Map<String, String> env) {
    String stockUrl = env.get("SECKILL_STOCK_URL");
    if (stockUrl == null || stockUrl.isBlank()) {
      stockUrl = "http://127.0.0.1:" + Env.integer(env, "SECKILL_STOCK_PORT", 8081, 1, 65535);
    }
    return new OrderWorkerConfig(
        Env.integer(env, "SECKILL_ORDER_PORT", 8082, 0, 65535),
        env.getOrDefault("SECKILL_BIND_HOST", "127.0.0.1"),
        Env.integer(env, "SECKILL_ORDER_MANAGEMENT_PORT", 9082, 0, 65535),
        stockUrl,
        new ServiceCredential(ServiceCredential.GATEWAY, Secrets.require(env, "SECKILL_GATEWAY_CREDENTIAL")),
        new ServiceCredential(ServiceCredential.ORDER_WORKER, Secrets.require(env, "SECKILL_WORKER_CREDENTIAL")),
        MysqlConfig.fromEnv(env),
        RocketMqConfig.fromEnv(env),
        Env.integer(env, "SECKILL_ORDER_RECONCILE_SECONDS", 30, 0, 3600),
        RecoveryConfig.fromEnv(env));
  }
}
