package io.seckill.load.faults;

import io.seckill.contracts.Topics;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads the dead-letter topic from its first message to its last and counts the letters of one
 * sale by reason. Read from the broker itself, not from a service's metric: a metric resets when
 * the service restarts, and the order-worker and stock-service both dead-letter.
 */
final class DeadLetterTopic {

  private DeadLetterTopic() {
  }

  /**
   * Letters of {@code saleId} (key {@code <saleId>.<order>} or a body naming the sale), counted by
   * {@code "<reason> from <source topic>"}.
   */
  // DefaultMQPullConsumer is deprecated, but it is the one client that reads a queue from an offset
  // to the end the broker reports, so the count is exact rather than "nothing more came for a while"
  @SuppressWarnings("deprecation")
  static Map<String, Integer> lettersOf(String namesrvAddr, String saleId) {
    String group = "seckill-faults-dl-" + UUID.randomUUID().toString().substring(0, 8);
    DefaultMQPullConsumer consumer = new DefaultMQPullConsumer(group);
    consumer.setNamesrvAddr(namesrvAddr);
    consumer.setInstanceName(group);
    Map<String, Integer> reasons = new TreeMap<>();
    try {
      consumer.start();
      for (MessageQueue queue : consumer.fetchSubscribeMessageQueues(Topics.DEAD_LETTER)) {
        long offset = consumer.minOffset(queue);
        long end = consumer.maxOffset(queue);
        while (offset < end) {
          PullResult result = consumer.pull(queue, "*", offset, 64);
          if (result.getPullStatus() != PullStatus.FOUND) {
            break;
          }
          for (MessageExt letter : result.getMsgFoundList()) {
            if (belongsTo(letter, saleId)) {
              reasons.merge(reason(letter), 1, Integer::sum);
            }
          }
          offset = result.getNextBeginOffset();
        }
      }
      return reasons;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + Topics.DEAD_LETTER + " from " + namesrvAddr + ": " + e, e);
    } finally {
      consumer.shutdown();
    }
  }

  private static boolean belongsTo(MessageExt letter, String saleId) {
    String keys = letter.getKeys();
    if (keys != null && keys.startsWith(saleId + ".")) {
      return true;
    }
    byte[] body = letter.getBody();
    return body != null && new String(body, StandardCharsets.UTF_8).contains("\"saleId\":\"" + saleId + "\"");
  }

  /** The order-worker's reason is an enum name; stock-service's a sentence whose head says what failed. */
  private static String reason(MessageExt letter) {
    String reason = letter.getUserProperty("reason");
    if (reason == null) {
      reason = "no reason given";
    } else if (reason.indexOf(':') > 0) {
      reason = reason.substring(0, reason.indexOf(':'));
    }
    String source = letter.getUserProperty("sourceTopic");
    return reason + (source == null ? "" : " from " + source);
  }
}
