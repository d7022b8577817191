package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.Retrying;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.messaging.DeadLetterReason;
import io.seckill.order.messaging.HandBackListener;
import io.seckill.order.messaging.DeadLetters;
import io.seckill.order.messaging.ReleasePublisher;
import io.seckill.order.messaging.TopicConsumer;
import io.seckill.order.messaging.UnknownSales;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the payment-timeout timer messages ({@link Topics#ORDER_TIMEOUT}, delivered at the
 * order's expiresAt, or re-issued by the {@link LostTimerSweep}). The release is published after
 * the cancellation commits and before the ack; a crash in between redelivers the timeout, which
 * finds the order cancelled and publishes again. MySQL or the broker being unreachable is waited
 * out ({@link Retrying}), for the cancellation and for the release alike.
 */
public final class OrderTimeoutConsumer extends HandBackListener {

  private static final Logger log = LoggerFactory.getLogger(OrderTimeoutConsumer.class);

  private final TopicConsumer consumer;
  private final Cancellations cancellations;
  private final ReleasePublisher releases;
  private final DeadLetters deadLetters;
  private final UnknownSales unknownSales;
  private final Retrying retrying;
  private final WorkerMetrics metrics;

  public OrderTimeoutConsumer(RocketMqConfig config, String instanceName, Cancellations cancellations,
                              ReleasePublisher releases, DeadLetters deadLetters, UnknownSales unknownSales,
                              Retrying retrying, WorkerMetrics metrics) throws Exception {
    this.cancellations = cancellations;
    this.unknownSales = unknownSales;
    this.releases = releases;
    this.deadLetters = deadLetters;
    this.retrying = retrying;
    this.metrics = metrics;
    // small batches: each timeout is its own transaction, but dead letters leave in one send
    consumer = new TopicConsumer(config, config.timeoutGroup(), config.timeoutTopic(), instanceName, this,
        c -> c.setConsumeMessageBatchMaxSize(16), metrics);
  }

  public TopicConsumer consumer() {
    return consumer;
  }

  @Override
  protected void consume(List<MessageExt> messages) throws Retrying.Stopped {
    List<DeadLetters.Letter> letters = new ArrayList<>();
    for (MessageExt message : messages) {
      handle(message, letters);
    }
    deadLetters.sendAll(letters, retrying);
  }

  @Override
  protected void handedBack(List<MessageExt> messages, Retrying.Stopped stopped) {
    // shutting down mid-retry: the timeouts come back; those already applied find their order
    // cancelled (or paid) and only publish the release again
    log.info("timeout batch of {} messages handed back: {}", messages.size(), stopped.getMessage());
  }

  private void handle(MessageExt message, List<DeadLetters.Letter> letters) throws Retrying.Stopped {
    OrderMessage order;
    try {
      order = OrderMessage.fromBytes(message.getBody());
    } catch (IllegalArgumentException poison) {
      letters.add(new DeadLetters.Letter(message, DeadLetterReason.MALFORMED, poison.getMessage()));
      return;
    }
    if (unknownSales.recentlyConfirmed(order.saleId()) && !DeadLetters.isReplay(message)) {
      letters.add(unknownSale(message, order));
      return;
    }
    TimeoutOutcome outcome;
    try {
      outcome = retrying.untilCommitted("cancel-order", () -> unknownSales.checked(order.saleId(),
          () -> cancellations.expire(order), result -> result == TimeoutOutcome.UNKNOWN_SALE));
    } catch (Retrying.Refused refused) {
      letters.add(new DeadLetters.Letter(message, DeadLetterReason.REFUSED, refused.getMessage()));
      return;
    }
    metrics.timeoutApplied(outcome.name());
    switch (outcome) {
      case CANCELLED, CANCELLED_BEFORE_CREATION, ALREADY_CANCELLED -> {
        StockRelease release = new StockRelease(order.orderId(), order.saleId(), order.userId(), order.quantity(), "TIMEOUT");
        retrying.untilDone("publish-release", () -> releases.publish(release));
      }
      case UNKNOWN_SALE -> letters.add(unknownSale(message, order));
      case PAID -> { }
    }
  }

  private static DeadLetters.Letter unknownSale(MessageExt message, OrderMessage order) {
    return new DeadLetters.Letter(message, DeadLetterReason.UNKNOWN_SALE, "no sale '" + order.saleId() + "' in MySQL");
  }
}
