package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.Database;
import io.seckill.order.Retrying;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.order.OrderMapper;
import io.seckill.order.order.OrderRow;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in for lost payment-timeout timers: every pass finds orders still awaiting payment a
 * grace period after their window ended (the timer was dead-lettered, the broker lost its timer
 * wheel, stock-service never sent it) and sends each its timeout message again, now. The
 * {@link OrderTimeoutConsumer} then cancels it exactly as it cancels on the real timer, through
 * {@link Cancellations}, and publishes the release: one idempotent path, and the same crash safety
 * (the message is on the broker before anything changes, and is acked only after the release).
 * Cancelling here directly would leave a crash between the commit and the release with nobody to
 * send the release again.
 *
 * <p>A pass reads at most {@link #BATCH} orders, on a worker thread of its own, never the event
 * loop; a pass still running when the next is due makes that one skip. A re-issued timer is given
 * a while to be applied before it is sent again. Every worker sweeps; two that re-issue the same
 * timer cost a second, idempotent, timeout.
 */
public final class LostTimerSweep {

  private static final Logger log = LoggerFactory.getLogger(LostTimerSweep.class);
  static final int BATCH = 500;
  private static final Duration MIN_REMEMBER = Duration.ofMinutes(1);

  private final Database database;
  private final DefaultMQProducer producer;
  private final String timeoutTopic;
  private final Retrying retrying;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final Duration grace;
  private final Duration remember;
  private final Map<String, Instant> reissuedAt = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();

  public LostTimerSweep(Database database, DefaultMQProducer producer, String timeoutTopic, Retrying retrying,
                        WorkerMetrics metrics, Clock clock, Duration grace) {
    this.database = database;
    this.producer = producer;
    this.timeoutTopic = timeoutTopic;
    this.retrying = retrying;
    this.metrics = metrics;
    this.clock = clock;
    this.grace = grace;
    this.remember = grace.compareTo(MIN_REMEMBER) > 0 ? grace : MIN_REMEMBER;
  }

  public void every(Vertx vertx, int seconds) {
    WorkerExecutor thread = vertx.createSharedWorkerExecutor("order-worker-sweep", 1);
    vertx.setPeriodic(seconds * 1000L, id -> {
      if (!running.compareAndSet(false, true)) {
        return;
      }
      thread.executeBlocking(() -> {
        try {
          return pass();
        } finally {
          // on this thread, not in a callback: on shutdown the event loop may be gone by then
          running.set(false);
        }
      }, false).onFailure(e -> log.warn("lost-timer sweep pass failed; the next one tries again: {}", e.toString()));
    });
  }

  /**
   * Waits, up to {@code millis}, for a pass in progress to end; the worker has stopped
   * {@link Retrying}, so the pass ends after the send in hand. The producer closes after this.
   */
  public void awaitIdle(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (running.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** One pass: the number of timers sent again. */
  int pass() throws Retrying.Stopped {
    Instant now = clock.instant();
    reissuedAt.values().removeIf(at -> at.isBefore(now.minus(remember)));
    List<OrderRow> lapsed = database.read(s -> s.getMapper(OrderMapper.class).findLapsed(now.minus(grace), BATCH));
    int reissued = 0;
    for (OrderRow order : lapsed) {
      if (retrying.stopping()) {
        break;
      }
      if (reissuedAt.containsKey(order.id())) {
        continue;
      }
      Message timer = timerOf(order);
      retrying.untilDone("reissue-timer", () -> send(timer));
      reissuedAt.put(order.id(), now);
      reissued++;
    }
    metrics.sweepPass(reissued);
    if (reissued > 0) {
      log.warn("{} order(s) still awaiting payment more than {} s after their window: timeout sent again",
          reissued, grace.toSeconds());
    }
    return reissued;
  }

  /** The timer message stock-service sent, rebuilt from the row (its reservedAt is created_at). */
  private Message timerOf(OrderRow order) {
    OrderMessage timeout = new OrderMessage(order.id(), order.saleId(), order.userId(), order.quantity(),
        order.createdAt().toEpochMilli(), order.expiresAt().toEpochMilli());
    Message message = new Message(timeoutTopic, timeout.toBytes());
    message.setKeys(order.id());
    message.putUserProperty("reissuedBy", "lost-timer-sweep");
    return message;
  }

  private void send(Message message) throws Exception {
    SendStatus status = producer.send(message).getSendStatus();
    if (status != SendStatus.SEND_OK) {
      throw new IllegalStateException("timer not stored: " + status);
    }
  }
}
