package io.seckill.stock;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StockConfigTest {

  @Test
  void defaultsMatchTheLocalStack() {
    StockConfig config = StockConfig.fromEnv(Map.of());
    assertEquals(8081, config.httpPort());
    assertEquals("redis://127.0.0.1:16379", config.redis().connectionString());
    assertEquals("127.0.0.1:19876", config.rocketMq().namesrvAddr());
    assertEquals("seckill-order-create", config.rocketMq().orderCreateTopic());
    assertEquals(256, config.outbox().batch());
    assertEquals(true, config.outbox().consumer().endsWith("-8081"));
    assertEquals(10_000, config.shutdownGraceMillis());
  }

  @Test
  void readsTheEnvironmentAndClampsSillyTunables() {
    StockConfig config = StockConfig.fromEnv(Map.of("SECKILL_STOCK_PORT", "9000", "SECKILL_REDIS_PORT", "7000",
        "SECKILL_NAMESRV_ADDR", "mq:9876", "SECKILL_STOCK_INSTANCE", "stock-a", "SECKILL_OUTBOX_BATCH", "100000"));
    assertEquals(9000, config.httpPort());
    assertEquals(7000, config.redis().port());
    assertEquals("mq:9876", config.rocketMq().namesrvAddr());
    assertEquals("stock-a", config.outbox().consumer());
    assertEquals(1000, config.outbox().batch());
  }

  @Test
  void failsFastOnAMalformedNumber() {
    assertThrows(IllegalArgumentException.class, () -> StockConfig.fromEnv(Map.of("SECKILL_STOCK_PORT", "eighty")));
  }
}
