package io.seckill.order.deadletter;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.messaging.DeadLetters;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Publishes a dead letter's original body again to the topic it came from, with its key, for its
 * consumer to apply (every consumer is idempotent by order id). Once replayed, a dead letter is not
 * published again: a second request answers what the first did. The publish comes before the
 * mark, so a crash in between leaves the row unreplayed and a second replay publishes once more,
 * which the idempotent consumer absorbs; the other order could lose the replay. Blocking.
 */
public final class DeadLetterReplays {

  private final DeadLetterLog deadLetters;
  private final DefaultMQProducer producer;
  private final Clock clock;
  private final String timeoutTopic;
  private final Set<String> replayable;

  public DeadLetterReplays(DeadLetterLog deadLetters, DefaultMQProducer producer, RocketMqConfig config, Clock clock) {
    this.deadLetters = deadLetters;
    this.producer = producer;
    this.clock = clock;
    this.timeoutTopic = config.timeoutTopic();
    // the configured topics are the defaults unless a bench renamed them
    this.replayable = Set.copyOf(List.of(config.createTopic(), config.timeoutTopic(), Topics.ORDER_CREATE,
        Topics.ORDER_TIMEOUT, Topics.STOCK_RELEASE));
  }

  /** @throws Exception when the broker did not store the message (the row is left unreplayed) */
  public ReplayOutcome replay(long id) throws Exception {
    DeadLetterRow row = deadLetters.find(id);
    if (row == null) {
      return new ReplayOutcome.NotFound();
    }
    if (row.replayedAt() != null) {
      return new ReplayOutcome.AlreadyReplayed(row);
    }
    if (row.sourceTopic() == null || !replayable.contains(row.sourceTopic())) {
      return new ReplayOutcome.NotReplayable(row);
    }
    SendResult sent = producer.send(messageOf(row));
    if (sent.getSendStatus() != SendStatus.SEND_OK) {
      throw new IllegalStateException("replay of dead letter " + id + " not stored: " + sent.getSendStatus());
    }
    deadLetters.markReplayed(id, clock.instant());
    return new ReplayOutcome.Replayed(deadLetters.find(id));
  }

  private Message messageOf(DeadLetterRow row) {
    Message message = new Message(row.sourceTopic(), row.body());
    if (row.messageKey() != null) {
      message.setKeys(row.messageKey());
    }
    message.putUserProperty(DeadLetters.REPLAY_OF, String.valueOf(row.id()));
    if (row.sourceTopic().equals(timeoutTopic)) {
      deliverAtExpiry(message, row.body());
    }
    return message;
  }

  /**
   * A payment timeout cancels whatever it finds unpaid: replayed before the order's window ends,
   * it must wait for the window, as the original timer did.
   */
  private void deliverAtExpiry(Message message, byte[] body) {
    try {
      long expiresAt = OrderMessage.fromBytes(body).expiresAt();
      if (expiresAt > clock.millis() + 1_000) {
        message.setDeliverTimeMs(expiresAt);
      }
    } catch (IllegalArgumentException malformed) {
      // replayed as it is: its consumer dead-letters it again with the reason
    }
  }
}
