package io.seckill.stock;

import io.seckill.contracts.Secrets;

import java.util.Map;

/**
 * Where Redis is, the password it requires ({@code SECKILL_REDIS_PASSWORD}), and how long a
 * connection may stay silent before it is taken for dead ({@code SECKILL_REDIS_TIMEOUT_MS}).
 */
public record RedisConfig(String host, int port, String password, int timeoutMillis) {

  static RedisConfig fromEnv(Map<String, String> env) {
    return new RedisConfig(
        env.getOrDefault("SECKILL_REDIS_HOST", "127.0.0.1"),
        Env.intVar(env, "SECKILL_REDIS_PORT", 16379, 1, 65535),
        Secrets.require(env, "SECKILL_REDIS_PASSWORD"),
        Env.intVar(env, "SECKILL_REDIS_TIMEOUT_MS", 5_000, 1_000, 60_000));
  }

  /** The address only: the password is set apart, so it never appears in a log line or a URL. */
  public String connectionString() {
    return "redis://" + host + ":" + port;
  }

  @Override
  public String toString() {
    return "RedisConfig[" + connectionString() + "]";
  }
}
