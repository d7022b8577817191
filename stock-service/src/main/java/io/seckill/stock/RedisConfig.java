package io.seckill.stock;

import java.util.Map;

/** Where Redis is. */
public record RedisConfig(String host, int port) {

  static RedisConfig fromEnv(Map<String, String> env) {
    return new RedisConfig(
        env.getOrDefault("SECKILL_REDIS_HOST", "127.0.0.1"),
        Env.intVar(env, "SECKILL_REDIS_PORT", 16379, 1, 65535));
  }

  public String connectionString() {
    return "redis://" + host + ":" + port;
  }
}
