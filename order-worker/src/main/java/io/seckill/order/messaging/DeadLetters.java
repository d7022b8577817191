package io.seckill.order.messaging;

import io.seckill.contracts.Topics;
import io.seckill.order.Retrying;
import io.seckill.order.WorkerMetrics;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves messages that can never be applied ({@link DeadLetterReason}) to {@link Topics#DEAD_LETTER},
 * with the original body and key and user properties {@code sourceTopic}, {@code reason} and
 * {@code detail}; order-worker records them in MySQL for operators (package {@code deadletter}). The caller acks the originals only after
 * this returns, so a failed send leaves them to be redelivered: nothing is dropped. Letters go in
 * batches, so a flood of messages for a sale this database never heard of costs one send per
 * delivery, not one per message.
 */
public final class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_DETAIL = 500;
  private static final int MAX_BATCH = 64;
  /** The user property of a replayed message: the id of the dead letter it was replayed from. */
  public static final String REPLAY_OF = "replayOf";

  private final DefaultMQProducer producer;
  private final WorkerMetrics metrics;

  public DeadLetters(DefaultMQProducer producer, WorkerMetrics metrics) {
    this.producer = producer;
    this.metrics = metrics;
  }

  /** One message to dead-letter, and why. */
  public record Letter(MessageExt original, DeadLetterReason reason, String detail) {
  }

  /** Blocks until the broker stored every letter; throws when it did not. */
  public void sendAll(List<Letter> letters) throws Exception {
    for (int from = 0; from < letters.size(); from += MAX_BATCH) {
      List<Letter> chunk = letters.subList(from, Math.min(letters.size(), from + MAX_BATCH));
      List<Message> batch = new ArrayList<>(chunk.size());
      chunk.forEach(letter -> batch.add(toMessage(letter)));
      SendResult result = batch.size() == 1 ? producer.send(batch.get(0)) : producer.send(batch);
      if (result.getSendStatus() != SendStatus.SEND_OK) {
        throw new IllegalStateException("dead letters not stored: " + result.getSendStatus());
      }
      Map<String, Integer> byReason = new TreeMap<>();
      for (Letter letter : chunk) {
        metrics.deadLettered(letter.original().getTopic(), letter.reason().name());
        byReason.merge(letter.reason().name(), 1, Integer::sum);
      }
      Letter first = chunk.get(0);
      log.warn("dead-lettered {} message(s) {}; first: {} (keys {}) from {}: {}", chunk.size(), byReason,
          first.original().getMsgId(), first.original().getKeys(), first.original().getTopic(), first.detail());
    }
  }

  /** Sends the letters (none: nothing), retrying until the broker stored them all. */
  public void sendAll(List<Letter> letters, Retrying retrying) throws Retrying.Stopped {
    if (!letters.isEmpty()) {
      retrying.untilDone("send-dead-letters", () -> sendAll(letters));
    }
  }

  /** A message an operator replayed from the dead letters (it carries {@code replayOf}, the dead letter's id). */
  public static boolean isReplay(MessageExt message) {
    return message.getUserProperty(REPLAY_OF) != null;
  }

  private static Message toMessage(Letter letter) {
    MessageExt original = letter.original();
    Message message = new Message(Topics.DEAD_LETTER, original.getBody() == null ? new byte[0] : original.getBody());
    if (original.getKeys() != null) {
      message.setKeys(original.getKeys());
    }
    String detail = letter.detail();
    message.putUserProperty("sourceTopic", original.getTopic());
    message.putUserProperty("reason", letter.reason().name());
    message.putUserProperty("detail", detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
    message.putUserProperty("sourceMsgId", original.getMsgId());
    return message;
  }
}
