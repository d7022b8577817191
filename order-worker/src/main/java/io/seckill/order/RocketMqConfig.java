package io.seckill.order;

import io.seckill.contracts.Topics;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;

import java.util.Map;

/** The broker, the topics and groups the worker consumes, and the consumer tuning. */
public record RocketMqConfig(String namesrvAddr, String createTopic, String timeoutTopic,
                             String createGroup, String timeoutGroup, String deadLetterGroup,
                             int consumeThreads, int batchSize) {

  /** The group that records every service's dead letters in MySQL. */
  public static final String DEAD_LETTER_GROUP = "seckill-order-dead-letter-cg";

  /**
   * A push consumer of {@code topic} in {@code group} with what every consumer of the worker shares:
   * this broker, new groups starting at the end of the topic, {@code consumeThreads} threads, and
   * no broker-side retry limit. The worker retries in-process what can pass and dead-letters itself
   * what cannot; a message handed back to the broker (only on shutdown, or after a bug) must come
   * back however often that happens, never land in RocketMQ's own {@code %DLQ%} that nobody reads.
   */
  public DefaultMQPushConsumer pushConsumer(String group, String topic, String instanceName) throws MQClientException {
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(namesrvAddr);
    consumer.setInstanceName(instanceName);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
    consumer.setConsumeThreadMin(consumeThreads);
    consumer.setConsumeThreadMax(consumeThreads);
    // the broker compares reconsumeTimes >= this; -1 would mean 16 for concurrent consumers
    consumer.setMaxReconsumeTimes(Integer.MAX_VALUE);
    consumer.subscribe(topic, "*");
    return consumer;
  }

  static RocketMqConfig fromEnv(Map<String, String> env) {
    String namesrv = env.get("SECKILL_NAMESRV_ADDR");
    if (namesrv == null || namesrv.isBlank()) {
      namesrv = "127.0.0.1:" + Env.integer(env, "SECKILL_NAMESRV_PORT", 19876, 1, 65535);
    }
    Env.retired(env, "SECKILL_ORDER_MAX_ATTEMPTS",
        "a failure that can pass is now retried until it succeeds; see docs/order-worker-faults.md");
    // The same variables name the topics stock-service publishes to; a bench or a second stack on
    // one broker sets both sides.
    return new RocketMqConfig(namesrv,
        Env.string(env, "SECKILL_ORDER_CREATE_TOPIC", Topics.ORDER_CREATE),
        Env.string(env, "SECKILL_ORDER_TIMEOUT_TOPIC", Topics.ORDER_TIMEOUT),
        Env.string(env, "SECKILL_ORDER_CREATE_GROUP", Topics.ORDER_CREATE_GROUP),
        Env.string(env, "SECKILL_ORDER_TIMEOUT_GROUP", Topics.ORDER_TIMEOUT_GROUP),
        Env.string(env, "SECKILL_ORDER_DEAD_LETTER_GROUP", DEAD_LETTER_GROUP),
        Env.integer(env, "SECKILL_ORDER_CONSUME_THREADS", 8, 1, 64),
        Env.integer(env, "SECKILL_ORDER_BATCH_SIZE", 128, 1, 1024));
  }
}
