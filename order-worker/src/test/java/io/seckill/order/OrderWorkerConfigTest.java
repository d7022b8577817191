package io.seckill.order;

import io.seckill.contracts.Topics;
import io.seckill.testkit.ServiceSettingsContract;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.seckill.testkit.ServiceSettingsContract.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderWorkerConfigTest implements ServiceSettingsContract {

  @Test
  void defaultsMatchTheStackScript() {
    OrderWorkerConfig config = OrderWorkerConfig.fromEnv(local());
    assertEquals(8082, config.port());
    assertEquals("http://127.0.0.1:8081", config.stockUrl());
    assertEquals("127.0.0.1:19876", config.rocketMq().namesrvAddr());
    assertEquals(Topics.ORDER_CREATE, config.rocketMq().createTopic());
    assertEquals(Topics.ORDER_TIMEOUT, config.rocketMq().timeoutTopic());
    assertEquals(Topics.ORDER_CREATE_GROUP, config.rocketMq().createGroup());
    assertEquals(Topics.ORDER_TIMEOUT_GROUP, config.rocketMq().timeoutGroup());
    assertTrue(config.mysql().jdbcUrl().startsWith("jdbc:mysql://127.0.0.1:13306/seckill?"));
    assertTrue(config.mysql().jdbcUrl().contains("rewriteBatchedStatements=true"));
    assertTrue(config.mysql().jdbcUrl().contains("connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"));
  }

  @Test
  void clampsSillyTunables() {
    OrderWorkerConfig config = OrderWorkerConfig.fromEnv(local(
        "SECKILL_ORDER_BATCH_SIZE", "100000", "SECKILL_ORDER_CONSUME_THREADS", "0",
        "SECKILL_ORDER_RETRY_BASE_MS", "500", "SECKILL_ORDER_RETRY_MAX_MS", "20",
        "SECKILL_ORDER_SHUTDOWN_GRACE_MS", "-1", "SECKILL_ORDER_SWEEP_SECONDS", "999999"));
    assertEquals(1024, config.rocketMq().batchSize());
    assertEquals(1, config.rocketMq().consumeThreads());
    assertEquals(500, config.recovery().retryBaseMillis());
    assertEquals(500, config.recovery().retryMaxMillis(), "the cap is never below the base");
    assertEquals(0, config.recovery().shutdownGraceMillis());
    assertEquals(3_600, config.recovery().sweepSeconds());
  }

  @Test
  void recoveryDefaults() {
    RecoveryConfig recovery = OrderWorkerConfig.fromEnv(local()).recovery();
    assertEquals(new RecoveryConfig(100, 10_000, 30, 60, 15_000), recovery);
    assertEquals(RocketMqConfig.DEAD_LETTER_GROUP, OrderWorkerConfig.fromEnv(local()).rocketMq().deadLetterGroup());
  }

  @Test
  void theRetiredAttemptLimitIsIgnored() {
    OrderWorkerConfig config = OrderWorkerConfig.fromEnv(local("SECKILL_ORDER_MAX_ATTEMPTS", "3"));
    assertEquals(OrderWorkerConfig.fromEnv(local()), config);
  }

  @Test
  void theWorkersConnectionsTimeOutButTheMigrationsDoNot() {
    MysqlConfig mysql = OrderWorkerConfig.fromEnv(local()).mysql();
    assertTrue(mysql.jdbcUrl().contains("socketTimeout=15000"));
    assertTrue(mysql.jdbcUrl().contains("connectTimeout=5000"));
    assertFalse(mysql.migrationUrl().contains("socketTimeout"));
  }

  @Test
  void consumesTheTopicsStockServicePublishesToWhenTheyAreRenamed() {
    RocketMqConfig config = OrderWorkerConfig.fromEnv(local(
        "SECKILL_ORDER_CREATE_TOPIC", "bench-create", "SECKILL_ORDER_TIMEOUT_TOPIC", "bench-timeout")).rocketMq();
    assertEquals("bench-create", config.createTopic());
    assertEquals("bench-timeout", config.timeoutTopic());
  }

  @Test
  void failsFastOnANonNumber() {
    assertThrows(IllegalArgumentException.class, () -> OrderWorkerConfig.fromEnv(local("SECKILL_MYSQL_PORT", "db")));
  }

  @Test
  void namesrvAddressWinsOverPort() {
    assertEquals("10.0.0.5:9876", OrderWorkerConfig.fromEnv(
        local("SECKILL_NAMESRV_ADDR", "10.0.0.5:9876", "SECKILL_NAMESRV_PORT", "1")).rocketMq().namesrvAddr());
    assertEquals("127.0.0.1:1234", OrderWorkerConfig.fromEnv(local("SECKILL_NAMESRV_PORT", "1234")).rocketMq().namesrvAddr());
  }

  @Override
  public String bindHost(Map<String, String> env) {
    return OrderWorkerConfig.fromEnv(env).bindHost();
  }
}
