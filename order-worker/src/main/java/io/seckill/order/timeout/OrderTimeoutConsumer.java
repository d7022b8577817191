package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.messaging.ConsumerLag;
import io.seckill.order.messaging.DeadLetterReason;
import io.seckill.order.messaging.DeadLetters;
import io.seckill.order.messaging.Redelivery;
import io.seckill.order.messaging.ReleasePublisher;
import io.seckill.order.messaging.UnknownSales;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the payment-timeout timer messages ({@link Topics#ORDER_TIMEOUT}, delivered at the
 * order's expiresAt). The release is published after the cancellation commits and before the ack;
 * a crash in between redelivers the timeout, which finds the order cancelled and publishes again.
 */
public final class OrderTimeoutConsumer implements MessageListenerConcurrently {

  private static final Logger log = LoggerFactory.getLogger(OrderTimeoutConsumer.class);

  private final DefaultMQPushConsumer consumer;
  private final Cancellations cancellations;
  private final ReleasePublisher releases;
  private final DeadLetters deadLetters;
  private final Redelivery redelivery;
  private final UnknownSales unknownSales;
  private final WorkerMetrics metrics;

  public OrderTimeoutConsumer(RocketMqConfig config, String instanceName, Cancellations cancellations,
                              ReleasePublisher releases, DeadLetters deadLetters, UnknownSales unknownSales,
                              WorkerMetrics metrics) throws Exception {
    this.cancellations = cancellations;
    this.unknownSales = unknownSales;
    this.releases = releases;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    consumer = config.pushConsumer(config.timeoutGroup(), config.timeoutTopic(), instanceName);
    // small batches: each timeout is its own transaction, but dead letters leave in one send
    consumer.setConsumeMessageBatchMaxSize(16);
    consumer.registerMessageListener(this);
    redelivery = new Redelivery(consumer, deadLetters, config.maxAttempts());
    metrics.lag(config.timeoutGroup(), () -> ConsumerLag.of(consumer));
  }

  public void start() throws Exception {
    consumer.start();
  }

  public void shutdown() {
    consumer.shutdown();
  }

  /** The RocketMQ consumer, for what it owns and where it stands (tests, diagnostics). */
  public DefaultMQPushConsumer pushConsumer() {
    return consumer;
  }

  @Override
  public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
    try {
      List<DeadLetters.Letter> letters = new ArrayList<>();
      for (MessageExt message : messages) {
        handle(message, letters);
      }
      deadLetters.sendAll(letters);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    } catch (Exception e) {
      log.error("timeout of {} could neither be applied nor queued for retry; the broker will redeliver it",
          messages.get(0).getKeys(), e);
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
  }

  private void handle(MessageExt message, List<DeadLetters.Letter> letters) throws Exception {
    OrderMessage order;
    try {
      order = OrderMessage.fromBytes(message.getBody());
    } catch (IllegalArgumentException poison) {
      letters.add(new DeadLetters.Letter(message, DeadLetterReason.MALFORMED, poison.getMessage()));
      return;
    }
    if (unknownSales.recentlyConfirmed(order.saleId())) {
      letters.add(new DeadLetters.Letter(message, DeadLetterReason.UNKNOWN_SALE, "no sale '" + order.saleId() + "' in MySQL"));
      return;
    }
    TimeoutOutcome outcome;
    try {
      outcome = unknownSales.checked(order.saleId(), () -> cancellations.expire(order),
          result -> result == TimeoutOutcome.UNKNOWN_SALE);
      metrics.timeoutApplied(outcome.name());
      switch (outcome) {
        case CANCELLED, CANCELLED_BEFORE_CREATION, ALREADY_CANCELLED -> releases.publish(
            new StockRelease(order.orderId(), order.saleId(), order.userId(), order.quantity(), "TIMEOUT"));
        case UNKNOWN_SALE -> letters.add(new DeadLetters.Letter(message, DeadLetterReason.UNKNOWN_SALE,
            "no sale '" + order.saleId() + "' in MySQL"));
        case PAID -> { }
      }
    } catch (RuntimeException e) {
      redelivery.failed(message, e);
    }
  }
}
