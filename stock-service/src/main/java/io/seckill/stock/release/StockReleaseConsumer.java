package io.seckill.stock.release;

import io.seckill.contracts.Ids;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.stock.RedisConfig;
import io.seckill.stock.RocketMqConfig;
import io.seckill.stock.StockMetrics;
import io.seckill.stock.outbox.OrderPublisher;
import io.seckill.stock.redis.RedisClients;
import io.seckill.stock.redis.StockScripts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@link Topics#STOCK_RELEASE} and returns each cancelled order's units to Redis. The
 * release script is idempotent by order id, so a redelivered message returns nothing twice.
 *
 * <p>Only a message that can never succeed goes to the dead-letter topic, with its reason:
 * {@code MALFORMED} (not a release, or an order id that does not name its sale), and
 * {@code SALE_NOT_IN_REDIS} (the sale stayed absent from Redis for {@link #ABSENT_SALE_PATIENCE_MS}:
 * it was never restored; the operator replays the message after restoring it). A Redis that is
 * down, hung or slow is a failure that passes: it is retried for as long as it takes, never
 * dead-lettered. RocketMQ's consume API is synchronous, so the consumer thread hands the release
 * to the event loop, which retries it with capped, jittered backoff, and waits for the outcome at
 * most {@link #WAIT_MS}; still failing then, the message goes back to the broker and returns a
 * second later. Redeliveries count toward nothing: the broker's own retry limit is never reached.
 */
public final class StockReleaseConsumer extends VerticleBase implements MessageListenerConcurrently {

  private static final Logger LOG = LoggerFactory.getLogger(StockReleaseConsumer.class);
  private static final long SUBSCRIBE_RETRY_MS = 5_000;
  /** One run of the release script; a Redis that has not answered by then counts as failed. */
  private static final long ATTEMPT_TIMEOUT_MS = 2_000;
  /** Pauses between attempts: 100 ms doubling to 5 s, so work resumes within ~5 s of Redis' return. */
  private static final Backoff BACKOFF = new Backoff(100, 5_000);
  /** The longest a consumer thread waits for one message before handing it back to the broker. */
  private static final long WAIT_MS = 15_000;
  /** RocketMQ delay levels (1 s, 5 s, 10 s, 30 s, …): how soon a handed-back message returns. */
  private static final int REDELIVER_SOON = 1;
  private static final int REDELIVER_AFTER_RESTORE = 3;
  /** How long a release waits for its sale to be restored into an empty Redis. */
  static final long ABSENT_SALE_PATIENCE_MS = 3_600_000;

  private final RedisConfig redisConfig;
  private final RocketMqConfig mqConfig;
  private final String instance;
  private final OrderPublisher deadLetters;
  private final StockMetrics metrics;
  private Redis client;
  private Releases releases;
  private volatile DefaultMQPushConsumer consumer;
  private volatile boolean stopped;

  public StockReleaseConsumer(RedisConfig redisConfig, RocketMqConfig mqConfig, String instance,
                              OrderPublisher deadLetters, StockMetrics metrics) {
    this.redisConfig = redisConfig;
    this.mqConfig = mqConfig;
    this.instance = instance;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  /**
   * Starts consuming in the background: a broker that is down at start-up must not stop
   * reservations (they wait in the outbox), so the consumer retries until it is up.
   */
  @Override
  public Future<?> start() {
    client = RedisClients.create(vertx, redisConfig);
    releases = new Releases(StockScripts.fromClasspath(client, redisConfig.cluster(), metrics::scriptReloaded));
    subscribe();
    return Future.succeededFuture();
  }

  private void subscribe() {
    vertx.executeBlocking(() -> {
      DefaultMQPushConsumer c = new DefaultMQPushConsumer(Topics.STOCK_RELEASE_GROUP);
      c.setNamesrvAddr(mqConfig.namesrvAddr());
      c.setInstanceName("stock-release-" + instance + "-" + ProcessHandle.current().pid());
      c.subscribe(Topics.STOCK_RELEASE, "*");
      // no retry budget: the broker moves a message to its own %DLQ% only past this many
      c.setMaxReconsumeTimes(Integer.MAX_VALUE);
      c.registerMessageListener(this);
      try {
        c.start();
      } catch (Exception e) {
        c.shutdown();
        throw e;
      }
      return c;
    }).onSuccess(c -> {
      if (stopped) {
        vertx.executeBlocking(() -> {
          c.shutdown();
          return null;
        });
      } else {
        consumer = c;
        LOG.info("consuming {}", Topics.STOCK_RELEASE);
      }
    }).onFailure(e -> {
      LOG.warn("cannot consume {} yet ({}); retrying in {} ms", Topics.STOCK_RELEASE, e.getMessage(), SUBSCRIBE_RETRY_MS);
      if (!stopped) {
        vertx.setTimer(SUBSCRIBE_RETRY_MS, t -> subscribe());
      }
    });
  }

  /**
   * Stops taking messages; releases being retried give up at their next failure and go back to
   * the broker (their offsets were never committed), so the next instance applies them.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    return vertx.executeBlocking(() -> {
      if (consumer != null) {
        consumer.shutdown();
      }
      return null;
    }).compose(v -> client.close());
  }

  /** Runs on RocketMQ's consumer threads, which may block; the script itself runs on the event loop. */
  @Override
  public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages, ConsumeConcurrentlyContext ctx) {
    for (MessageExt message : messages) {
      int redeliverAfter = handle(message);
      if (redeliverAfter > 0) {
        ctx.setDelayLevelWhenNextConsume(redeliverAfter);
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  }

  /** 0 when the message is done with (applied or dead-lettered), else the delay level to come back after. */
  private int handle(MessageExt message) {
    StockRelease release;
    try {
      release = StockRelease.fromBytes(message.getBody());
      if (!Ids.isOrderId(release.orderId()) || !Ids.saleOf(release.orderId()).equals(release.saleId())) {
        throw new IllegalArgumentException("orderId does not name sale " + release.saleId());
      }
    } catch (IllegalArgumentException e) {
      metrics.release("MALFORMED");
      return deadLetter(message, "MALFORMED: " + e.getMessage());
    }
    ReleaseOutcome outcome;
    try {
      outcome = awaitRelease(release.orderId());
    } catch (Exception e) {
      LOG.warn("release of {} still failing after {} ms of retries (delivery {}); handing it back to the broker: {}",
          release.orderId(), WAIT_MS, message.getReconsumeTimes() + 1, String.valueOf(e.getMessage()));
      return REDELIVER_SOON;
    }
    metrics.release(outcome.name());
    switch (outcome) {
      case SALE_ABSENT -> {
        if (message.getReconsumeTimes() == 0) {
          LOG.warn("release of {} waits: sale {} is not in Redis (restore it from MySQL, docs/redis-recovery.md)",
              release.orderId(), release.saleId());
        }
        if (System.currentTimeMillis() - message.getBornTimestamp() < ABSENT_SALE_PATIENCE_MS) {
          return REDELIVER_AFTER_RESTORE;
        }
        return deadLetter(message, "SALE_NOT_IN_REDIS: sale " + release.saleId() + " was absent from Redis for "
            + ABSENT_SALE_PATIENCE_MS / 60_000 + " min; replay this release after restoring the sale");
      }
      case UNKNOWN -> LOG.warn("release of unknown reservation {} ignored", release.orderId());
      case RETIRED -> LOG.warn("release of {} came after sale {} was retired (ended and settled); nothing to return",
          release.orderId(), release.saleId());
      default -> {
      }
    }
    return 0;
  }

  /** Blocks this consumer thread at most {@link #WAIT_MS} plus one attempt; never an event loop. */
  private ReleaseOutcome awaitRelease(String orderId) throws Exception {
    long giveUpAt = System.currentTimeMillis() + WAIT_MS;
    CompletableFuture<ReleaseOutcome> outcome = new CompletableFuture<>();
    context.runOnContext(v -> releaseWithRetries(orderId, 0, giveUpAt).onComplete(ar -> {
      if (ar.succeeded()) {
        outcome.complete(ar.result());
      } else {
        outcome.completeExceptionally(ar.cause());
      }
    }));
    return outcome.get(WAIT_MS + ATTEMPT_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
  }

  /**
   * On the event loop: one attempt, bounded; on failure a jittered pause and the next, until it
   * succeeds, the next pause would pass {@code giveUpAt}, or the consumer stops. An attempt that
   * timed out may still run in Redis later: the script is idempotent, the retry finds it done.
   */
  private Future<ReleaseOutcome> releaseWithRetries(String orderId, int attempt, long giveUpAt) {
    return releases.release(orderId)
        .timeout(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(failure -> {
          long pause = BACKOFF.pauseMillis(attempt);
          if (stopped || System.currentTimeMillis() + pause >= giveUpAt) {
            return Future.failedFuture(failure);
          }
          metrics.releaseRetried();
          return vertx.timer(pause, TimeUnit.MILLISECONDS)
              .compose(t -> releaseWithRetries(orderId, attempt + 1, giveUpAt));
        });
  }

  /** 0 once the dead letter is stored; if the broker cannot take it now, the message comes back. */
  private int deadLetter(MessageExt message, String reason) {
    try {
      deadLetters.deadLetter(message.getBody(), message.getKeys(), Topics.STOCK_RELEASE, reason);
      LOG.warn("dead-lettered release {}: {}", message.getKeys(), reason);
      return 0;
    } catch (Exception e) {
      LOG.error("cannot dead-letter message {} now; it will come back", message.getMsgId(), e);
      return REDELIVER_SOON;
    }
  }
}
