package io.seckill.order.messaging;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded retry of a message that failed for a reason that may pass (a database error): it
 * goes back to the broker's retry queue until it has been tried {@code maxAttempts} times, then to
 * the dead letters.
 */
public final class Redelivery {

  private static final Logger log = LoggerFactory.getLogger(Redelivery.class);

  private final DefaultMQPushConsumer consumer;
  private final DeadLetters deadLetters;
  private final int maxAttempts;

  public Redelivery(DefaultMQPushConsumer consumer, DeadLetters deadLetters, int maxAttempts) {
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.maxAttempts = maxAttempts;
  }

  /** Throws when neither the retry nor the dead letter could be stored; the caller then asks the broker to redeliver. */
  public void failed(MessageExt message, Throwable cause) throws Exception {
    int attempts = message.getReconsumeTimes() + 1;
    if (attempts >= maxAttempts) {
      deadLetters.send(message, DeadLetterReason.RETRIES_EXHAUSTED, attempts + " attempts, last: " + cause);
      return;
    }
    log.warn("message {} (keys {}) failed attempt {} of {}; retrying later: {}", message.getMsgId(),
        message.getKeys(), attempts, maxAttempts, cause.toString());
    consumer.sendMessageBack(message, 0);
  }
}
