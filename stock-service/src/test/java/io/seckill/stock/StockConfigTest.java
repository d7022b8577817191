package io.seckill.stock;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StockConfigTest {

  @Test
  void defaultsMatchTheLocalStack() {
    StockConfig config = StockConfig.fromEnv(local());
    assertEquals(8081, config.httpPort());
    assertEquals(List.of("redis://127.0.0.1:16379"), config.redis().connectionStrings());
    assertFalse(config.redis().cluster());
    assertEquals("127.0.0.1:19876", config.rocketMq().namesrvAddr());
    assertEquals("seckill-order-create", config.rocketMq().orderCreateTopic());
    assertEquals(256, config.outbox().batch());
    assertEquals(true, config.outbox().consumer().endsWith("-8081"));
    assertEquals(10_000, config.shutdownGraceMillis());
  }

  @Test
  void readsTheEnvironmentAndClampsSillyTunables() {
    StockConfig config = StockConfig.fromEnv(local("SECKILL_STOCK_PORT", "9000", "SECKILL_REDIS_PORT", "7000",
        "SECKILL_NAMESRV_ADDR", "mq:9876", "SECKILL_STOCK_INSTANCE", "stock-a", "SECKILL_OUTBOX_BATCH", "100000"));
    assertEquals(9000, config.httpPort());
    assertEquals(7000, config.redis().port());
    assertEquals("mq:9876", config.rocketMq().namesrvAddr());
    assertEquals("stock-a", config.outbox().consumer());
    assertEquals(1000, config.outbox().batch());
  }

  @Test
  void redisNodesMakeItAClusterClient() {
    RedisConfig redis = StockConfig.fromEnv(local("SECKILL_REDIS_NODES", " 10.0.0.1:6379,redis-1.redis:6379 ,")).redis();
    assertTrue(redis.cluster());
    assertEquals(List.of("redis://10.0.0.1:6379", "redis://redis-1.redis:6379"), redis.connectionStrings());
    assertFalse(redis.toString().contains(redis.password()), "no password in " + redis);
    for (String bad : List.of("redis-0", "redis-0:", ":6379", "redis-0:99999", "redis-0:63x9")) {
      assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(local("SECKILL_REDIS_NODES", bad)), bad);
    }
  }

  @Test
  void failsFastOnAMalformedNumber() {
    assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(local("SECKILL_STOCK_PORT", "eighty")));
  }

  @Test
  void refusesToStartWithoutServiceCredentialsOutsideALocalRun() {
    var missing = assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(Map.of()));
    assertTrue(missing.getMessage().contains("SECKILL_GATEWAY_CREDENTIAL"), missing.getMessage());
    Map<String, String> shortOnes = Map.of("SECKILL_GATEWAY_CREDENTIAL", "short", "SECKILL_WORKER_CREDENTIAL", "x".repeat(40),
        "SECKILL_REDIS_PASSWORD", "y".repeat(40), "SECKILL_MYSQL_PASSWORD", "z".repeat(40));
    var tooShort = assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(shortOnes));
    assertTrue(tooShort.getMessage().contains("at least 32 bytes"), tooShort.getMessage());
    Map<String, String> placeholder = Map.of("SECKILL_GATEWAY_CREDENTIAL", "replace-me-with-32-random-bytes-from-a-vault",
        "SECKILL_WORKER_CREDENTIAL", "x".repeat(40), "SECKILL_REDIS_PASSWORD", "y".repeat(40));
    assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(placeholder));
  }

  @Test
  void bindsToLoopbackUnlessTold() {
    assertEquals("127.0.0.1", StockConfig.fromEnv(local()).bindHost());
    assertEquals("0.0.0.0", StockConfig.fromEnv(local("SECKILL_BIND_HOST", "0.0.0.0")).bindHost());
  }

  /** A local run's settings ({@code SECKILL_ENV=local}: development credentials) plus {@code pairs}. */
  private static Map<String, String> local(String... pairs) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SECKILL_ENV", "local");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
