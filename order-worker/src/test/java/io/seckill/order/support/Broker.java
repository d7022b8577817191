package io.seckill.order.support;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.testkit.LocalStack;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Publishes what stock-service would, and watches topics the worker writes to. */
public final class Broker implements AutoCloseable {

  private final DefaultMQProducer producer;
  private final List<DefaultMQPushConsumer> watchers = new CopyOnWriteArrayList<>();

  public Broker() throws Exception {
    String name = "order-it-" + UUID.randomUUID().toString().substring(0, 8);
    producer = new DefaultMQProducer(name + "-pg");
    producer.setNamesrvAddr(LocalStack.fromEnv().requireRocketMq().namesrvAddr());
    producer.setInstanceName(name);
    producer.start();
  }

  public void publishCreates(List<OrderMessage> orders) throws Exception {
    publishCreates(Topics.ORDER_CREATE, orders);
  }

  /** Creation messages on {@code topic} (a bench topic that no other worker consumes), 100 per batch. */
  public void publishCreates(String topic, List<OrderMessage> orders) throws Exception {
    List<Message> batch = new ArrayList<>();
    for (OrderMessage order : orders) {
      Message m = new Message(topic, order.toBytes());
      m.setKeys(order.orderId());
      batch.add(m);
      if (batch.size() == 100) {
        send(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  public void publishRaw(String topic, String key, byte[] body) throws Exception {
    Message m = new Message(topic, body);
    m.setKeys(key);
    check(producer.send(m).getSendStatus());
  }

  /** A message with user properties, such as a dead letter as another service would send it. */
  public void publishRaw(String topic, String key, byte[] body, Map<String, String> properties) throws Exception {
    Message m = new Message(topic, body);
    m.setKeys(key);
    properties.forEach(m::putUserProperty);
    check(producer.send(m).getSendStatus());
  }

  /** A timeout delivered now rather than at expiresAt, to force the race a test wants. */
  public void publishTimeout(OrderMessage order) throws Exception {
    publishRaw(Topics.ORDER_TIMEOUT, order.orderId(), order.toBytes());
  }

  /**
   * Records every message of {@code topic} published from now on whose key is one of interest
   * (a fresh group of its own, started at the end of the topic).
   */
  public Map<String, List<MessageExt>> watch(String topic, java.util.function.Predicate<String> keyOfInterest) throws Exception {
    Map<String, List<MessageExt>> seen = new ConcurrentHashMap<>();
    String group = "order-it-watch-" + UUID.randomUUID().toString().substring(0, 8);
    startGroupAtEnd(group, topic);
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(LocalStack.fromEnv().namesrvAddr());
    consumer.setInstanceName(group);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
    consumer.subscribe(topic, "*");
    consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
      for (MessageExt m : messages) {
        if (m.getKeys() != null && keyOfInterest.test(m.getKeys())) {
          seen.computeIfAbsent(m.getKeys(), k -> new CopyOnWriteArrayList<>()).add(m);
        }
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    consumer.start();
    watchers.add(consumer);
    // from its first rebalance on, the watcher sees every new message of the topic
    io.seckill.testkit.Poll.await(java.time.Duration.ofSeconds(30), "the watcher of " + topic + " owns its queues",
        () -> !consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().isEmpty());
    return seen;
  }

  /**
   * Commits, for a consumer group that never ran, the current end of every queue of {@code topic}:
   * a new group would otherwise start from the oldest message the broker still holds in memory.
   */
  public static void startGroupAtEnd(String group, String topic) throws Exception {
    org.apache.rocketmq.client.consumer.DefaultMQPullConsumer seed = new org.apache.rocketmq.client.consumer.DefaultMQPullConsumer(group);
    seed.setNamesrvAddr(LocalStack.fromEnv().namesrvAddr());
    seed.setInstanceName(group + "-seed");
    seed.start();
    try {
      // on a loaded machine the name server can miss a broker heartbeat and know no route for a while
      java.util.Set<org.apache.rocketmq.common.message.MessageQueue> queues = io.seckill.testkit.Poll.until(
          java.time.Duration.ofSeconds(60), () -> seed.fetchSubscribeMessageQueues(topic), found -> !found.isEmpty());
      var offsets = (org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore) seed.getOffsetStore();
      // the broker knows the group only once the client's heartbeat named it; until then it
      // refuses commits, so the commit is retried until the heartbeat has landed
      for (org.apache.rocketmq.common.message.MessageQueue queue : queues) {
        long end = seed.maxOffset(queue);
        // a synchronous commit: the consumer started next must find it on the broker
        io.seckill.testkit.Poll.await(java.time.Duration.ofSeconds(20), "offset of " + group + " committed", () -> {
          offsets.updateConsumeOffsetToBroker(queue, end, false);
          return true;
        });
      }
      // The broker makes the seed a member of the group when it processes its heartbeat, which on
      // a loaded broker can come after the commits, and even after the seed's unregister: the seed
      // then stays a member until it expires two minutes later, and the group's real consumer owns
      // only half the queues meanwhile. So the seed leaves only once the broker lists it.
      var client = seed.getDefaultMQPullConsumerImpl().getRebalanceImpl().getmQClientFactory();
      io.seckill.testkit.Poll.await(java.time.Duration.ofSeconds(30), "the seed of " + group + " a member of it", () -> {
        java.util.List<String> members = client.findConsumerIdList(topic, group);
        return members != null && members.contains(client.getClientId());
      });
    } finally {
      seed.shutdown();
    }
  }

  private void send(List<Message> batch) throws Exception {
    check(producer.send(batch).getSendStatus());
  }

  private static void check(SendStatus status) {
    if (status != SendStatus.SEND_OK) {
      throw new IllegalStateException("broker did not store the message: " + status);
    }
  }

  @Override
  public void close() {
    watchers.forEach(DefaultMQPushConsumer::shutdown);
    producer.shutdown();
  }
}
