package io.seckill.stock;

import io.seckill.testkit.ServiceSettingsContract;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.seckill.testkit.ServiceSettingsContract.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StockConfigTest implements ServiceSettingsContract {

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

  @Override
  public String bindHost(Map<String, String> env) {
    return StockConfig.fromEnv(env).bindHost();
  }
}
