package io.seckill.stock.outbox;

import io.seckill.contracts.OrderMessage;
import io.seckill.stock.OutboxConfig;
import io.seckill.stock.RedisConfig;
import io.seckill.stock.StockMetrics;
import io.seckill.stock.redis.RedisClients;
import io.seckill.stock.redis.SaleKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Drains every sale's outbox stream to RocketMQ. Entries are read through the consumer group
 * {@link OutboxConfig#GROUP} under this instance's stable name, published, then deleted and
 * acknowledged: an entry leaves the stream only after the broker stored its messages.
 *
 * <p>After a crash nothing is lost: entries this instance had read but not acknowledged stay in
 * its pending list and are read again (ID 0) when it restarts under the same name; entries a dead
 * instance never comes back for are taken over with XAUTOCLAIM once idle long enough. Both run on
 * start and then every sweep interval. A message may then be sent twice; consumers are
 * idempotent by order id.
 */
public final class OutboxPublisher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
  private static final long REFRESH_MS = 1_000;
  /**
   * Reservations only happen before endsAt (Redis clock); this margin covers skew between that
   * clock and this one. Past it, a sale is read only while its stream holds entries.
   */
  private static final long ACTIVE_AFTER_END_MS = 60_000;

  private final RedisConfig redisConfig;
  private final OutboxConfig config;
  private final OrderPublisher publisher;
  private final StockMetrics metrics;
  private Redis client;
  private RedisAPI redis;
  private List<String> activeSales = List.of();
  /**
   * Sales found ended (past the margin) with an empty stream: no reservation can add an entry any
   * more, so the per-second refresh skips them and only the sweep looks at them again (a sale id
   * re-defined with a new window after it ended unsold becomes active again there). They leave
   * the set of sales when {@code SaleRetirement} retires them.
   */
  private final Set<String> settled = new HashSet<>();
  private long nextRefresh;
  private long nextSweep;
  private boolean failing;
  private boolean stopped;
  /** The pass running now; stop() lets it finish, so a published batch is also removed. */
  private Future<Boolean> inFlight = Future.succeededFuture(false);

  public OutboxPublisher(RedisConfig redisConfig, OutboxConfig config, OrderPublisher publisher, StockMetrics metrics) {
    this.redisConfig = redisConfig;
    this.config = config;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    client = RedisClients.create(vertx, redisConfig);
    redis = RedisAPI.api(client);
    context.runOnContext(v -> loop());
    return Future.succeededFuture();
  }

  /**
   * Takes no new batch and waits for the current one: publish, XDEL, XACK as always. Closing Redis
   * under a batch the broker already stored would only cause a duplicate later, but closing the
   * producer under a batch being sent would leave it pending until the restart or a claim.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    return inFlight.otherwiseEmpty().eventually(() -> client.close());
  }

  private void loop() {
    if (stopped) {
      return;
    }
    inFlight = pass();
    inFlight.onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("outbox pass failed; retrying its pending entries in {} ms", retryMillis(), ar.cause());
        // What was read but not published sits in this instance's pending list. Until it is
        // published this instance takes no new entries, and it waits longer than the claim time,
        // so a healthy instance can take the pending ones over meanwhile.
        failing = true;
        nextSweep = System.currentTimeMillis() + retryMillis();
        vertx.setTimer(config.pollMillis(), t -> loop());
      } else if (ar.result()) {
        context.runOnContext(v -> loop());
      } else {
        vertx.setTimer(config.pollMillis(), t -> loop());
      }
    });
  }

  private long retryMillis() {
    return config.claimIdleMillis() + 1_000L;
  }

  /** One pass; true when some stream had a full batch, so another pass should follow at once. */
  private Future<Boolean> pass() {
    long now = System.currentTimeMillis();
    if (now >= nextSweep) {
      nextSweep = now + config.sweepMillis();
      nextRefresh = now + REFRESH_MS;
      return refreshSales(now, true).compose(v -> sweep()).compose(v -> {
        failing = false;
        return drainNew();
      });
    }
    if (failing) {
      return Future.succeededFuture(false);
    }
    if (now >= nextRefresh) {
      nextRefresh = now + REFRESH_MS;
      return refreshSales(now, false).compose(v -> drainNew());
    }
    return drainNew();
  }

  /** Which sales to read new entries from; {@code all} looks at the settled ones again too. */
  private Future<Void> refreshSales(long now, boolean all) {
    return redis.smembers(SaleKeys.SALES)
        .map(members -> {
          List<String> ids = new ArrayList<>();
          members.forEach(member -> ids.add(member.toString()));
          return ids;
        })
        .compose(ids -> {
          settled.retainAll(ids);
          return inSequence(ids, id -> !all && settled.contains(id) ? Future.succeededFuture((String) null)
              : isActive(new SaleKeys(id), now).map(active -> {
                if (active) {
                  settled.remove(id);
                  return id;
                }
                settled.add(id);
                return null;
              }));
        })
        .map(active -> {
          activeSales = active.stream().filter(Objects::nonNull).toList();
          return null;
        });
  }

  /**
   * A sale is read for new entries until it has ended and its stream is empty: never by the
   * clock alone, or entries written before the end but not yet read (the broker or every
   * instance down across endsAt) would stay in the stream for ever, their buyers holding a 202
   * with no order and their units held. XLEN counts read-but-unacknowledged entries too; those
   * are also re-read or claimed by the sweep.
   */
  private Future<Boolean> isActive(SaleKeys keys, long now) {
    return redis.hget(keys.sale(), "endsAt").compose(endsAt -> {
      if (endsAt != null && endsAt.toLong() + ACTIVE_AFTER_END_MS > now) {
        return Future.succeededFuture(true);
      }
      return redis.xlen(keys.outbox()).map(len -> len != null && len.toLong() > 0);
    });
  }

  /**
   * Recovery: own pending entries, then a dead instance's idle ones, then the backlog gauge. A
   * settled sale has an empty stream, so nothing of it can be pending: the active ones are enough.
   */
  private Future<Void> sweep() {
    return inSequence(activeSales, id -> drainPending(new SaleKeys(id)).compose(v -> reclaim(new SaleKeys(id))))
        .compose(v -> inSequence(activeSales, id -> redis.xlen(new SaleKeys(id).outbox())
            .map(len -> len == null ? 0L : len.toLong())
            .otherwise(0L)))
        .map(lengths -> {
          metrics.backlog(lengths.stream().mapToLong(Long::longValue).sum());
          return null;
        });
  }

  private Future<Boolean> drainNew() {
    return inSequence(activeSales, id -> readAndPublish(new SaleKeys(id), ">")
        .recover(failure -> recoverRead(new SaleKeys(id), failure)))
        .map(counts -> counts.stream().anyMatch(count -> count >= config.batch()));
  }

  private Future<Void> drainPending(SaleKeys keys) {
    return readAndPublish(keys, "0")
        .recover(failure -> recoverRead(keys, failure))
        .compose(count -> count >= config.batch() ? drainPending(keys) : Future.succeededFuture());
  }

  private Future<Integer> readAndPublish(SaleKeys keys, String from) {
    return redis.xreadgroup(List.of("GROUP", OutboxConfig.GROUP, config.consumer(), "COUNT",
            Integer.toString(config.batch()), "STREAMS", keys.outbox(), from))
        .map(reply -> reply == null || reply.size() == 0 ? List.<OutboxEntry>of() : OutboxEntry.parseAll(reply.get(0).get(1)))
        .compose(entries -> publishAndRemove(keys, entries));
  }

  private Future<Void> reclaim(SaleKeys keys) {
    return redis.xautoclaim(List.of(keys.outbox(), OutboxConfig.GROUP, config.consumer(),
            Integer.toString(config.claimIdleMillis()), "0-0", "COUNT", Integer.toString(config.batch())))
        .map(reply -> OutboxEntry.parseAll(reply.get(1)))
        .compose(entries -> {
          if (!entries.isEmpty()) {
            metrics.reclaimed(entries.size());
            LOG.info("reclaimed {} outbox entries of {}", entries.size(), keys.saleId());
          }
          return publishAndRemove(keys, entries);
        })
        .compose(count -> count >= config.batch() ? reclaim(keys) : Future.succeededFuture())
        .recover(failure -> recoverRead(keys, failure).mapEmpty());
  }

  /**
   * Publishes, then XDEL, then XACK. Deleting before acknowledging means a crash in between
   * leaves only a pending id without data, which the next read of pending entries acknowledges.
   */
  private Future<Integer> publishAndRemove(SaleKeys keys, List<OutboxEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<OrderMessage> orders = entries.stream().map(OutboxEntry::order).filter(Objects::nonNull).toList();
    List<String> ids = entries.stream().map(OutboxEntry::id).toList();
    Future<Void> sent = orders.isEmpty() ? Future.succeededFuture() : publisher.publish(context, orders);
    return sent
        .onFailure(failure -> metrics.publishFailed())
        .compose(v -> redis.xdel(concat(List.of(keys.outbox()), ids)))
        .compose(v -> redis.xack(concat(List.of(keys.outbox(), OutboxConfig.GROUP), ids)))
        .map(v -> {
          metrics.published(orders.size());
          return entries.size();
        });
  }

  /**
   * A missing stream or group of a sale that still exists (e.g. Redis restarted without its
   * streams) is created; a deleted sale is left deleted. Other failures propagate.
   */
  private Future<Integer> recoverRead(SaleKeys keys, Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    if (!message.startsWith("NOGROUP")) {
      return Future.failedFuture(failure);
    }
    return redis.exists(List.of(keys.sale()))
        .compose(exists -> exists.toInteger() == 0 ? Future.succeededFuture(0)
            : redis.xgroup(List.of("CREATE", keys.outbox(), OutboxConfig.GROUP, "0", "MKSTREAM")).map(0))
        .otherwise(0);
  }

  private static <T> Future<List<T>> inSequence(List<String> ids, Function<String, Future<T>> step) {
    List<T> results = new ArrayList<>(ids.size());
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> step.apply(id).map(result -> {
        results.add(result);
        return null;
      }));
    }
    return chain.map(results);
  }

  private static List<String> concat(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head.size() + tail.size());
    all.addAll(head);
    all.addAll(tail);
    return all;
  }
}
