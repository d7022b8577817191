package io.seckill.contracts;

import java.util.List;

/**
 * RocketMQ topics and consumer groups. {@code ./seckill up} creates every topic in {@link #ALL}
 * before any consumer starts (with only auto-created topics a consumer sees no route for ~30 s).
 */
public final class Topics {

  /** stock-service → order-worker: a reservation to persist as an order. Body: {@link OrderMessage}. */
  public static final String ORDER_CREATE = "seckill-order-create";
  /** stock-service → order-worker, a timer message delivered at the order's expiresAt. Body: {@link OrderMessage}. */
  public static final String ORDER_TIMEOUT = "seckill-order-timeout";
  /** order-worker → stock-service: return a cancelled order's units to Redis. Body: {@link StockRelease}. */
  public static final String STOCK_RELEASE = "seckill-stock-release";
  /** Messages that failed their bounded retries; kept for an operator, counted in metrics. */
  public static final String DEAD_LETTER = "seckill-dead-letter";

  public static final List<String> ALL = List.of(ORDER_CREATE, ORDER_TIMEOUT, STOCK_RELEASE, DEAD_LETTER);

  public static final String ORDER_CREATE_GROUP = "seckill-order-create-cg";
  public static final String ORDER_TIMEOUT_GROUP = "seckill-order-timeout-cg";
  public static final String STOCK_RELEASE_GROUP = "seckill-stock-release-cg";

  public static final String STOCK_PRODUCER_GROUP = "seckill-stock-pg";
  public static final String ORDER_PRODUCER_GROUP = "seckill-order-pg";

  private Topics() {
  }
}
