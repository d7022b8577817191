package io.seckill.order;

import io.seckill.contracts.Topics;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;

import java.util.Map;

/**
 * The broker and the consumer tuning. {@code maxAttempts} bounds how often a message that cannot
 * be applied is tried before it is dead-lettered.
 */
public record RocketMqConfig(String namesrvAddr, String createTopic, String timeoutTopic,
                             String createGroup, String timeoutGroup,
                             int consumeThreads, int batchSize, int maxAttempts) {

  /**
   * A push consumer of {@code topic} in {@code group} with what every consumer of the worker shares:
   * this broker, new groups starting at the end of the topic, {@code consumeThreads} threads, and a
   * broker-side retry bound above {@code maxAttempts} (the worker dead-letters before it is reached).
   */
  public DefaultMQPushConsumer pushConsumer(String group, String topic, String instanceName) throws MQClientException {
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(namesrvAddr);
    consumer.setInstanceName(instanceName);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
    consumer.setConsumeThreadMin(consumeThreads);
    consumer.setConsumeThreadMax(consumeThreads);
    consumer.setMaxReconsumeTimes(Math.max(maxAttempts, 3));
    consumer.subscribe(topic, "*");
    return consumer;
  }

  static RocketMqConfig fromEnv(Map<String, String> env) {
    String namesrv = env.get("SECKILL_NAMESRV_ADDR");
    if (namesrv == null || namesrv.isBlank()) {
      namesrv = "127.0.0.1:" + Env.integer(env, "SECKILL_NAMESRV_PORT", 19876, 1, 65535);
    }
    // The same variables name the topics stock-service publishes to; a bench or a second stack on
    // one broker sets both sides.
    return new RocketMqConfig(namesrv,
        Env.string(env, "SECKILL_ORDER_CREATE_TOPIC", Topics.ORDER_CREATE),
        Env.string(env, "SECKILL_ORDER_TIMEOUT_TOPIC", Topics.ORDER_TIMEOUT),
        Env.string(env, "SECKILL_ORDER_CREATE_GROUP", Topics.ORDER_CREATE_GROUP),
        Env.string(env, "SECKILL_ORDER_TIMEOUT_GROUP", Topics.ORDER_TIMEOUT_GROUP),
        Env.integer(env, "SECKILL_ORDER_CONSUME_THREADS", 8, 1, 64),
        Env.integer(env, "SECKILL_ORDER_BATCH_SIZE", 128, 1, 1024),
        Env.integer(env, "SECKILL_ORDER_MAX_ATTEMPTS", 3, 1, 16));
  }
}
