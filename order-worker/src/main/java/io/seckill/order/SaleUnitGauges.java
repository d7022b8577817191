package io.seckill.order;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seckill.order.order.OrderStatus;
import io.seckill.order.sale.SaleTotals;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each open sale's units as the last reconciliation sweep found them, per store: what a sale
 * dashboard plots (available, held, paid) and what the drift alert compares. The sweep is the
 * only writer, so a sale's gauges go away when the sweep no longer covers it (it ended) instead
 * of showing its last values forever.
 *
 * <p>Every worker replica sweeps every sale, so each replica reports the same sale: dashboards
 * and alerts take the {@code max} over instances.
 */
final class SaleUnitGauges {

  private static final String AVAILABLE = "seckill_sale_available_units";
  private static final String AVAILABLE_HELP = "units left to sell, per store";
  private static final String HELD = "seckill_sale_held_units";
  private static final String HELD_HELP = "units out of available (reserved, awaiting payment or paid), per store";
  private static final String ORDER_UNITS = "seckill_sale_order_units";
  private static final String ORDER_UNITS_HELP = "units of the sale's orders in MySQL, by order status";

  private final MeterRegistry registry;
  private final Map<String, Sale> sales = new ConcurrentHashMap<>();

  SaleUnitGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one sale; {@code check} is the reconciliation object, without Redis figures when stock-service did not answer. */
  void record(SaleTotals totals, JsonObject check) {
    String id = totals.sale().id();
    Sale sale = sales.computeIfAbsent(id, this::registerMysql);
    sale.stock.set(totals.sale().stock());
    sale.mysqlAvailable.set(totals.sale().available());
    sale.mysqlHeld.set(totals.heldUnits());
    sale.awaitingPayment.set(totals.units(OrderStatus.AWAITING_PAYMENT));
    sale.paid.set(totals.units(OrderStatus.PAID));
    sale.cancelled.set(totals.units(OrderStatus.CANCELLED));
    // Without an answer from stock-service the Redis side keeps its previous value (or has no
    // series yet, rather than a made-up 0); stock-service's own "up" says that it is missing.
    if (check.getLong("redisAvailable") != null) {
      if (!sale.redisRegistered) {
        registerRedis(id, sale);
      }
      sale.redisAvailable.set(check.getLong("redisAvailable"));
      sale.redisHeld.set(check.getLong("redisHeldUnits"));
      sale.drift.set(check.getLong("drift"));
    }
  }

  /** Drops the gauges of every sale not in {@code open}. */
  void retain(Set<String> open) {
    sales.entrySet().removeIf(sale -> {
      if (open.contains(sale.getKey())) {
        return false;
      }
      sale.getValue().meters.forEach(registry::remove);
      return true;
    });
  }

  private Sale registerMysql(String id) {
    Sale sale = new Sale();
    sale.meters.add(gauge("seckill_sale_stock_units", "units put on sale", id, sale.stock, Map.of()));
    sale.meters.add(gauge(AVAILABLE, AVAILABLE_HELP, id, sale.mysqlAvailable, Map.of("store", "mysql")));
    sale.meters.add(gauge(HELD, HELD_HELP, id, sale.mysqlHeld, Map.of("store", "mysql")));
    sale.meters.add(gauge(ORDER_UNITS, ORDER_UNITS_HELP, id, sale.awaitingPayment,
        Map.of("status", OrderStatus.AWAITING_PAYMENT.name())));
    sale.meters.add(gauge(ORDER_UNITS, ORDER_UNITS_HELP, id, sale.paid, Map.of("status", OrderStatus.PAID.name())));
    sale.meters.add(gauge(ORDER_UNITS, ORDER_UNITS_HELP, id, sale.cancelled, Map.of("status", OrderStatus.CANCELLED.name())));
    return sale;
  }

  private void registerRedis(String id, Sale sale) {
    sale.redisRegistered = true;
    sale.meters.add(gauge(AVAILABLE, AVAILABLE_HELP, id, sale.redisAvailable, Map.of("store", "redis")));
    sale.meters.add(gauge(HELD, HELD_HELP, id, sale.redisHeld, Map.of("store", "redis")));
    sale.meters.add(gauge("seckill_reconciliation_drift_units",
        "Redis available minus MySQL available: non-zero while creation messages are in flight, and after a loss",
        id, sale.drift, Map.of()));
  }

  private Meter gauge(String name, String description, String sale, AtomicLong value, Map<String, String> tags) {
    Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::doubleValue)
        .description(description).tag("sale", sale).strongReference(true);
    tags.forEach(builder::tag);
    return builder.register(registry);
  }

  /** One sale's values; the gauges read them at scrape time. */
  private static final class Sale {
    final AtomicLong stock = new AtomicLong();
    final AtomicLong redisAvailable = new AtomicLong();
    final AtomicLong mysqlAvailable = new AtomicLong();
    final AtomicLong redisHeld = new AtomicLong();
    final AtomicLong mysqlHeld = new AtomicLong();
    final AtomicLong awaitingPayment = new AtomicLong();
    final AtomicLong paid = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();
    final AtomicLong drift = new AtomicLong();
    final List<Meter> meters = new ArrayList<>();
    volatile boolean redisRegistered;
  }
}
