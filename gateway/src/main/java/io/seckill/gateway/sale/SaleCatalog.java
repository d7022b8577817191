package io.seckill.gateway.sale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.seckill.contracts.SaleDefinition;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's copy of every sale's definition, so an unknown sale and the sale window are
 * answered without touching Redis. Refreshed from order-worker's list of sales not yet ended;
 * a sale that has ended stays known for a day, so it is answered SALE_ENDED rather than
 * SALE_NOT_FOUND.
 *
 * <p>A well-formed id the catalog does not know may trigger one lookup at order-worker, but only
 * within a small global budget and never twice a second for the same id: a flood of made-up ids
 * is answered locally.
 */
public final class SaleCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(SaleCatalog.class);
  private static final Duration KEEP_ENDED = Duration.ofDays(1);

  private final InternalService orderWorker;
  private final Map<String, SaleDefinition> sales = new ConcurrentHashMap<>();
  private final Cache<String, Boolean> recentMisses = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(1)).build();
  private final Bucket missLookups = Bucket.builder()
      .addLimit(Bandwidth.builder().capacity(20).refillGreedy(20, Duration.ofSeconds(1)).build())
      .build();

  public SaleCatalog(InternalService orderWorker) {
    this.orderWorker = orderWorker;
  }

  /** The sale if the catalog holds it, without any I/O. */
  public SaleDefinition get(String saleId) {
    return sales.get(saleId);
  }

  /** The sale, looking it up at order-worker on a miss when the budget allows; null if unknown. */
  public Future<SaleDefinition> find(String saleId) {
    SaleDefinition sale = sales.get(saleId);
    if (sale != null) {
      return Future.succeededFuture(sale);
    }
    if (recentMisses.getIfPresent(saleId) != null || !missLookups.tryConsume(1)) {
      return Future.succeededFuture();
    }
    recentMisses.put(saleId, Boolean.TRUE);
    return orderWorker.get("/internal/sales/" + saleId)
        .map(reply -> reply.status() == 200 ? remember(definition(reply.json())) : null)
        .otherwise(e -> null);
  }

  /** Whether the sale is unknown here or has ended by {@code now}: nothing about it needs watching. */
  public boolean isOver(String saleId, Instant now) {
    SaleDefinition sale = sales.get(saleId);
    return sale == null || !now.isBefore(sale.endsAt());
  }

  /** Adds or replaces a sale just created through the admin API. */
  public void put(SaleDefinition sale) {
    sales.put(sale.id(), sale);
  }

  /** Reloads the list of live sales from order-worker. */
  public Future<Integer> refresh() {
    return orderWorker.get("/internal/sales").map(this::replaceWith);
  }

  private int replaceWith(Reply reply) {
    if (reply.status() != 200) {
      LOG.warn("order-worker answered {} to the sale list; keeping the cached sales", reply.status());
      return sales.size();
    }
    JsonArray list = reply.array();
    Map<String, SaleDefinition> fresh = new ConcurrentHashMap<>();
    for (Object item : list) {
      SaleDefinition sale = item instanceof JsonObject json ? definition(json) : null;
      if (sale != null) {
        fresh.put(sale.id(), sale);
      }
    }
    Instant now = Instant.now();
    sales.putAll(fresh);
    // The list holds only sales not yet ended: an ended one is kept to answer SALE_ENDED, one
    // missing for another reason no longer exists.
    sales.entrySet().removeIf(e -> !fresh.containsKey(e.getKey())
        && (e.getValue().endsAt().isAfter(now) || e.getValue().endsAt().plus(KEEP_ENDED).isBefore(now)));
    return sales.size();
  }

  private SaleDefinition remember(SaleDefinition sale) {
    if (sale != null) {
      sales.put(sale.id(), sale);
    }
    return sale;
  }

  /** Picks the definition's fields out of an answer that may carry counters too. */
  static SaleDefinition definition(JsonObject json) {
    JsonObject fields = new JsonObject();
    for (String name : new String[] {"id", "item", "stock", "perUserLimit", "startsAt", "endsAt", "paymentWindow",
        "botDefense"}) {
      fields.put(name, json.getValue(name));
    }
    try {
      return SaleDefinition.fromJson(fields);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring a malformed sale from order-worker: {}", e.getMessage());
      return null;
    }
  }
}
