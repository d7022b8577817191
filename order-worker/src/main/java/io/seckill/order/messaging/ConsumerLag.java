package io.seckill.order.messaging;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.common.message.MessageQueue;

import java.util.Map;

/**
 * A consumer's lag as it last saw it: messages pulled but not yet consumed, plus what the broker
 * reported as still behind the last pull, over the queues this instance owns; and which queues
 * those are, for tests and diagnostics.
 */
public final class ConsumerLag {

  private ConsumerLag() {
  }

  public static long of(DefaultMQPushConsumer consumer) {
    long lag = 0;
    for (ProcessQueue queue : queues(consumer).values()) {
      if (!queue.isDropped()) {
        lag += queue.getMsgCount().get() + queue.getMsgAccCnt();
      }
    }
    return lag;
  }

  /** Messages pulled into this instance and not yet acknowledged by the listener. */
  public static long pulledNotConsumed(DefaultMQPushConsumer consumer) {
    long pulled = 0;
    for (ProcessQueue queue : queues(consumer).values()) {
      if (!queue.isDropped()) {
        pulled += queue.getMsgCount().get();
      }
    }
    return pulled;
  }

  /** How many queues this instance currently owns (0 until its first rebalance). */
  public static int ownedQueues(DefaultMQPushConsumer consumer) {
    return (int) queues(consumer).entrySet().stream()
        .filter(e -> !e.getValue().isDropped() && !e.getKey().getTopic().startsWith("%RETRY%"))
        .count();
  }

  /** Each owned queue with its next offset to commit and the messages pulled but not consumed. */
  public static String describe(DefaultMQPushConsumer consumer) {
    StringBuilder out = new StringBuilder(consumer.getConsumerGroup()).append(':');
    var store = consumer.getDefaultMQPushConsumerImpl().getOffsetStore();
    queues(consumer).forEach((queue, pq) ->
        out.append(' ').append(queue.getTopic()).append('/').append(queue.getQueueId())
            .append(" offset=").append(store.readOffset(queue, ReadOffsetType.READ_FROM_MEMORY))
            .append(" cached=").append(pq.getMsgCount().get())
            .append(pq.isDropped() ? " dropped" : ""));
    return out.toString();
  }

  private static Map<MessageQueue, ProcessQueue> queues(DefaultMQPushConsumer consumer) {
    return consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
  }
}
