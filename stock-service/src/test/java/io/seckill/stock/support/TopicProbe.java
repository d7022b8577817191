package io.seckill.stock.support;

import io.seckill.testkit.LocalStack;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test consumer on one topic in its own consumer group, keeping only the messages of one sale
 * (the key is the order id, which starts with the sale id): other tests share the topic.
 */
public final class TopicProbe implements AutoCloseable {

  /** What arrived for one order id. */
  public record Arrival(String body, long firstAtMillis, AtomicInteger deliveries) {
  }

  private final DefaultMQPushConsumer consumer;
  private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
  private final String topic;
  private final String prefix;

  public TopicProbe(LocalStack stack, String topic, String saleId) {
    stack.requireRocketMq();
    String group = "stock-it-" + UUID.randomUUID().toString().substring(0, 12);
    consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(stack.namesrvAddr());
    consumer.setInstanceName(group);
    // the name server is shared with every other test and load run on two cores: a route lookup
    // may take seconds, which must not fail the test before it starts
    consumer.setMqClientApiTimeout(15_000);
    // a new group starts where its timestamp says, so nothing published after creation is missed
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_TIMESTAMP);
    SimpleDateFormat format = new SimpleDateFormat("yyyyMMddHHmmss");
    format.setTimeZone(TimeZone.getDefault());
    consumer.setConsumeTimestamp(format.format(new Date(System.currentTimeMillis() - 30_000)));
    consumer.setPullBatchSize(64);
    consumer.setConsumeMessageBatchMaxSize(32);
    this.topic = topic;
    this.prefix = saleId + ".";
    try {
      consumer.subscribe(topic, "*");
      consumer.registerMessageListener((List<MessageExt> messages, ConsumeConcurrentlyContext context) -> {
        long now = System.currentTimeMillis();
        for (MessageExt message : messages) {
          String key = message.getKeys();
          if (key != null && key.startsWith(prefix)) {
            arrivals.computeIfAbsent(key, k -> new Arrival(new String(message.getBody(), StandardCharsets.UTF_8),
                now, new AtomicInteger())).deliveries().incrementAndGet();
          }
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      });
      consumer.start();
    } catch (Exception e) {
      throw new AssertionError("cannot start a test consumer on " + topic + ": " + e, e);
    }
  }

  /**
   * Sends a marker message through {@code producer} and waits until this consumer receives it,
   * so the time a later message is seen is its delivery time, not this consumer's start-up.
   */
  public void awaitReady(org.apache.rocketmq.client.producer.DefaultMQProducer producer) {
    String key = prefix + "ready-" + UUID.randomUUID();
    try {
      org.apache.rocketmq.common.message.Message marker =
          new org.apache.rocketmq.common.message.Message(topic, "ready".getBytes(StandardCharsets.UTF_8));
      marker.setKeys(key);
      producer.send(marker);
    } catch (Exception e) {
      throw new AssertionError("cannot send a marker to " + topic + ": " + e, e);
    }
    io.seckill.testkit.Poll.await(java.time.Duration.ofSeconds(60), "the test consumer on " + topic + " is receiving",
        () -> arrivals.containsKey(key));
    arrivals.remove(key);
  }

  public Map<String, Arrival> arrivals() {
    return arrivals;
  }

  @Override
  public void close() {
    consumer.shutdown();
  }
}
