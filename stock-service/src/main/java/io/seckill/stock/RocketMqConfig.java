package io.seckill.stock;

import io.seckill.contracts.Topics;

import java.util.Map;

/**
 * Where the RocketMQ name server is, and the topics the outbox publishes to. The topics default
 * to the contract's; the benchmark points them at topics no order-worker consumes.
 */
public record RocketMqConfig(String namesrvAddr, String orderCreateTopic, String orderTimeoutTopic) {

  static RocketMqConfig fromEnv(Map<String, String> env) {
    String port = env.getOrDefault("SECKILL_NAMESRV_PORT", "19876");
    return new RocketMqConfig(
        env.getOrDefault("SECKILL_NAMESRV_ADDR", "127.0.0.1:" + port),
        env.getOrDefault("SECKILL_ORDER_CREATE_TOPIC", Topics.ORDER_CREATE),
        env.getOrDefault("SECKILL_ORDER_TIMEOUT_TOPIC", Topics.ORDER_TIMEOUT));
  }
}
