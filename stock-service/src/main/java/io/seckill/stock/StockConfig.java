package io.seckill.stock;

import io.seckill.contracts.Secrets;
import io.seckill.contracts.http.ServiceCredential;

import java.util.Map;

/**
 * Every stock-service setting, read once from the environment in {@link Main}.
 *
 * @param bindHost       the address both listeners bind to ({@code SECKILL_BIND_HOST}, loopback by default)
 * @param managementPort {@code /metrics} and health, never behind a public Service
 * @param gateway        the credential the gateway presents (every internal route)
 * @param worker         the credential the order-worker presents (reads for reconciliation)
 * @param shutdownGraceMillis how long SIGTERM waits for requests in flight and the outbox batch
 * @param retentionSeconds how long an ended sale's keys stay in Redis after its last payment window
 *                         closed (endsAt + paymentWindow); then it is retired (MySQL keeps its orders)
 */
public record StockConfig(int httpPort, String bindHost, int managementPort, int eventLoops,
                          ServiceCredential gateway, ServiceCredential worker,
                          RedisConfig redis, RocketMqConfig rocketMq, OutboxConfig outbox, int shutdownGraceMillis,
                          int retentionSeconds) {

  public static StockConfig fromEnv(Map<String, String> env) {
    int port = Env.intVar(env, "SECKILL_STOCK_PORT", 8081, 0, 65535);
    return new StockConfig(
        port,
        env.getOrDefault("SECKILL_BIND_HOST", "127.0.0.1"),
        Env.intVar(env, "SECKILL_STOCK_MANAGEMENT_PORT", 9081, 0, 65535),
        Env.intVar(env, "SECKILL_STOCK_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 64),
        new ServiceCredential(ServiceCredential.GATEWAY, Secrets.require(env, "SECKILL_GATEWAY_CREDENTIAL")),
        new ServiceCredential(ServiceCredential.ORDER_WORKER, Secrets.require(env, "SECKILL_WORKER_CREDENTIAL")),
        RedisConfig.fromEnv(env),
        RocketMqConfig.fromEnv(env),
        OutboxConfig.fromEnv(env, port),
        Env.intVar(env, "SECKILL_SHUTDOWN_GRACE_MS", 10_000, 0, 120_000),
        Env.intVar(env, "SECKILL_SALE_RETENTION_SECONDS", 7 * 24 * 3600, 1, 365 * 24 * 3600));
  }
}
