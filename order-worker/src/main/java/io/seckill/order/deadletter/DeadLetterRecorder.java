package io.seckill.order.deadletter;

import io.seckill.contracts.Topics;
import io.seckill.order.Retrying;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.messaging.HandBackListener;
import io.seckill.order.messaging.TopicConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Records every message of {@link Topics#DEAD_LETTER}, whoever sent it (this worker's creation and
 * timeout consumers, stock-service's release consumer), in MySQL, where operators list and replay
 * them. One consumer group shared by all workers, so each dead letter is recorded by one of them;
 * recording is idempotent by message id anyway. A new group starts at the oldest dead letter the
 * broker still holds, so a first deployment records what was dead-lettered before it.
 */
public final class DeadLetterRecorder extends HandBackListener {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterRecorder.class);
  /** A reason that is already a code; stock-service sends free text such as "release failed: …". */
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final int MAX_KEY = 255;
  private static final int MAX_DETAIL = 1000;

  private final TopicConsumer consumer;
  private final DeadLetterLog deadLetters;
  private final Retrying retrying;
  private final WorkerMetrics metrics;
  private final Clock clock;

  public DeadLetterRecorder(RocketMqConfig config, String instanceName, DeadLetterLog deadLetters, Retrying retrying,
                            WorkerMetrics metrics, Clock clock) throws Exception {
    this.deadLetters = deadLetters;
    this.retrying = retrying;
    this.metrics = metrics;
    this.clock = clock;
    consumer = new TopicConsumer(config, config.deadLetterGroup(), Topics.DEAD_LETTER, instanceName, this, c -> {
      c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
      c.setConsumeThreadMin(2);
      c.setConsumeThreadMax(2);
    }, metrics);
  }

  public TopicConsumer consumer() {
    return consumer;
  }

  @Override
  protected void consume(List<MessageExt> messages) throws Retrying.Stopped {
    for (MessageExt message : messages) {
      record(message);
    }
  }

  @Override
  protected void handedBack(List<MessageExt> messages, Retrying.Stopped stopped) {
    log.info("dead letters handed back: {}", stopped.getMessage());
  }

  private void record(MessageExt message) throws Retrying.Stopped {
    DeadLetterRow row = rowOf(message);
    try {
      if (retrying.untilCommitted("record-dead-letter", () -> deadLetters.record(row))) {
        String source = row.sourceTopic() == null ? "unknown" : row.sourceTopic();
        metrics.deadLetterRecorded(source, row.reason());
        log.warn("dead letter {} from {} recorded: {} (key {}): {}", row.messageId(), source, row.reason(),
            row.messageKey(), row.detail());
      }
    } catch (Retrying.Refused refused) {
      // the row is cut to the columns' sizes, so this is a bug; the message stays on the topic
      log.error("dead letter {} could not be recorded, it stays only on {}: {}", row.messageId(),
          Topics.DEAD_LETTER, refused.getMessage());
    }
  }

  DeadLetterRow rowOf(MessageExt message) {
    String reason = message.getUserProperty("reason");
    String detail = message.getUserProperty("detail");
    if (detail == null && reason != null && !CODE.matcher(reason).matches()) {
      detail = reason;
    }
    return new DeadLetterRow(0, message.getMsgId(), message.getUserProperty("sourceTopic"),
        cut(message.getKeys(), MAX_KEY), code(reason), cut(detail, MAX_DETAIL),
        message.getBody() == null ? new byte[0] : message.getBody(), clock.instant(), null);
  }

  /**
   * A short code for the metric's label and for filtering: the reason itself when it is one,
   * else its text before a colon ("release failed: …" is RELEASE_FAILED), else OTHER.
   */
  static String code(String reason) {
    if (reason == null || reason.isBlank()) {
      return "UNKNOWN";
    }
    if (CODE.matcher(reason).matches()) {
      return reason;
    }
    int colon = reason.indexOf(':');
    String head = (colon < 0 ? reason : reason.substring(0, colon)).trim()
        .toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    return CODE.matcher(head).matches() ? head : "OTHER";
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
