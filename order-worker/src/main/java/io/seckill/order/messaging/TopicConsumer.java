package io.seckill.order.messaging;

import io.seckill.order.Retrying;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.WorkerMetrics;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.store.OffsetStore;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push consumer of the worker and its lifecycle, the same for every topic it reads: start;
 * on shutdown stop taking messages, let what was taken be consumed, commit, leave the group.
 */
public final class TopicConsumer {

  private static final Logger log = LoggerFactory.getLogger(TopicConsumer.class);

  /** Settings a consumer of one topic has beyond the shared ones (batch sizes, threads, where a new group starts). */
  @FunctionalInterface
  public interface Tuning {
    void apply(DefaultMQPushConsumer consumer);
  }

  private final RocketMqConfig config;
  private final String group;
  private final String topic;
  private final String instanceName;
  private final MessageListenerConcurrently listener;
  private final Tuning tuning;
  private volatile DefaultMQPushConsumer consumer;

  public TopicConsumer(RocketMqConfig config, String group, String topic, String instanceName,
                       MessageListenerConcurrently listener, Tuning tuning, WorkerMetrics metrics) throws MQClientException {
    this.config = config;
    this.group = group;
    this.topic = topic;
    this.instanceName = instanceName;
    this.listener = listener;
    this.tuning = tuning;
    consumer = build();
    metrics.lag(group, () -> ConsumerLag.of(consumer));
  }

  /** The topic this consumer reads (its group's retry topic aside). */
  public String topic() {
    return topic;
  }

  /** The RocketMQ consumer, for what it owns and where it stands (tests, diagnostics). */
  public DefaultMQPushConsumer pushConsumer() {
    return consumer;
  }

  /**
   * Starts consuming. A name server that does not answer (a slow or restarting one) fails the
   * start; that is retried like any fault that can pass, with a new client each time, since a
   * client whose start failed cannot be started again.
   */
  public void start(Retrying retrying) throws Retrying.Stopped {
    retrying.untilDone("start-consumer " + group, () -> {
      try {
        consumer.start();
      } catch (MQClientException | IllegalStateException e) {
        consumer.shutdown();
        consumer = build();
        throw e;
      }
    });
  }

  private DefaultMQPushConsumer build() throws MQClientException {
    DefaultMQPushConsumer built = config.pushConsumer(group, topic, instanceName);
    built.registerMessageListener(listener);
    tuning.apply(built);
    return built;
  }

  /** No new pull is sent; what was already pulled is still handed to the listener. */
  public void suspend() {
    consumer.suspend();
  }

  /** Messages pulled and not yet acknowledged: queued for a consume thread or in the listener now. */
  public long unfinished() {
    return ConsumerLag.pulledNotConsumed(consumer);
  }

  /**
   * Commits the offsets of what was consumed, synchronously, so that whoever owns these queues
   * next starts right after it instead of redoing it; then leaves the group. A listener still
   * running gets {@code awaitMillis} to return before its thread is interrupted.
   */
  public void shutdown(long awaitMillis) {
    commitConsumed();
    consumer.setAwaitTerminationMillisWhenShutdown(awaitMillis);
    consumer.shutdown();
  }

  private void commitConsumed() {
    OffsetStore store = consumer.getDefaultMQPushConsumerImpl().getOffsetStore();
    if (!(store instanceof RemoteBrokerOffsetStore remote)) {
      return;
    }
    for (MessageQueue queue : consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet()) {
      long offset = store.readOffset(queue, ReadOffsetType.READ_FROM_MEMORY);
      if (offset >= 0) {
        try {
          remote.updateConsumeOffsetToBroker(queue, offset, false);
        } catch (Exception e) {
          // the shutdown's own (one-way) commit follows; at worst the next owner redoes a little
          log.warn("could not commit {} of {}: {}", offset, queue, e.toString());
        }
      }
    }
  }
}
