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
import io.vertx.core.Promise;
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
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@link Topics#STOCK_RELEASE} and returns each cancelled order's units to Redis. The
 * release script is idempotent by order id, so a redelivered message returns nothing twice.
 * Malformed messages, and messages still failing after {@link #MAX_ATTEMPTS}, go to the dead-letter
 * topic.
 */
public final class StockReleaseConsumer extends VerticleBase implements MessageListenerConcurrently {

  private static final Logger LOG = LoggerFactory.getLogger(StockReleaseConsumer.class);
  private static final int MAX_ATTEMPTS = 8;
  private static final long RETRY_MS = 5_000;

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
    releases = new Releases(StockScripts.fromClasspath(RedisAPI.api(client), metrics::scriptReloaded));
    subscribe();
    return Future.succeededFuture();
  }

  private void subscribe() {
    vertx.executeBlocking(() -> {
      DefaultMQPushConsumer c = new DefaultMQPushConsumer(Topics.STOCK_RELEASE_GROUP);
      c.setNamesrvAddr(mqConfig.namesrvAddr());
      c.setInstanceName("stock-release-" + instance + "-" + ProcessHandle.current().pid());
      c.subscribe(Topics.STOCK_RELEASE, "*");
      c.setMaxReconsumeTimes(MAX_ATTEMPTS + 2);
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
      LOG.warn("cannot consume {} yet ({}); retrying in {} ms", Topics.STOCK_RELEASE, e.getMessage(), RETRY_MS);
      if (!stopped) {
        vertx.setTimer(RETRY_MS, t -> subscribe());
      }
    });
  }

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
      if (!handle(message)) {
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  }

  private boolean handle(MessageExt message) {
    StockRelease release;
    try {
      release = StockRelease.fromBytes(message.getBody());
      if (!Ids.isOrderId(release.orderId()) || !Ids.saleOf(release.orderId()).equals(release.saleId())) {
        throw new IllegalArgumentException("orderId does not name sale " + release.saleId());
      }
    } catch (IllegalArgumentException e) {
      metrics.release("MALFORMED");
      return deadLetter(message, "malformed: " + e.getMessage());
    }
    try {
      ReleaseOutcome outcome = run(release.orderId());
      metrics.release(outcome.name());
      if (outcome == ReleaseOutcome.UNKNOWN) {
        LOG.warn("release of unknown reservation {} ignored", release.orderId());
      }
      return true;
    } catch (Exception e) {
      LOG.warn("release of {} failed (attempt {})", release.orderId(), message.getReconsumeTimes() + 1, e);
      return message.getReconsumeTimes() + 1 >= MAX_ATTEMPTS && deadLetter(message, "release failed: " + e);
    }
  }

  private ReleaseOutcome run(String orderId) throws Exception {
    Promise<ReleaseOutcome> promise = Promise.promise();
    context.runOnContext(v -> releases.release(orderId).onComplete(promise));
    return promise.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private boolean deadLetter(MessageExt message, String reason) {
    try {
      deadLetters.deadLetter(message.getBody(), message.getKeys(), Topics.STOCK_RELEASE, reason);
      return true;
    } catch (Exception e) {
      LOG.error("cannot dead-letter message {}", message.getMsgId(), e);
      return false;
    }
  }
}
