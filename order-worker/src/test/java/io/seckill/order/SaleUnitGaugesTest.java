package io.seckill.order;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seckill.order.order.OrderStatus;
import io.seckill.order.order.StatusUnits;
import io.seckill.order.sale.SaleRow;
import io.seckill.order.sale.SaleTotals;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaleUnitGaugesTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SaleUnitGauges gauges = new SaleUnitGauges(registry);

  @Test
  void publishesBothStoresUnitsAndTheDriftOfASale() {
    gauges.record(totals("s1", 100, 70, 20, 10, 5), check(68, 32, -2));

    assertEquals(100, value("seckill_sale_stock_units", "s1", null, null));
    assertEquals(70, value("seckill_sale_available_units", "s1", "store", "mysql"));
    assertEquals(68, value("seckill_sale_available_units", "s1", "store", "redis"));
    assertEquals(30, value("seckill_sale_held_units", "s1", "store", "mysql"));
    assertEquals(32, value("seckill_sale_held_units", "s1", "store", "redis"));
    assertEquals(20, value("seckill_sale_order_units", "s1", "status", "AWAITING_PAYMENT"));
    assertEquals(10, value("seckill_sale_order_units", "s1", "status", "PAID"));
    assertEquals(5, value("seckill_sale_order_units", "s1", "status", "CANCELLED"));
    assertEquals(-2, value("seckill_reconciliation_drift_units", "s1", null, null));
  }

  @Test
  void hasNoRedisSeriesUntilStockServiceAnswered() {
    gauges.record(totals("s1", 100, 100, 0, 0, 0), new JsonObject().putNull("consistent").put("error", "down"));

    assertEquals(100, value("seckill_sale_available_units", "s1", "store", "mysql"));
    assertNull(registry.find("seckill_sale_available_units").tag("store", "redis").gauge());
    assertNull(registry.find("seckill_reconciliation_drift_units").gauge());

    gauges.record(totals("s1", 100, 90, 10, 0, 0), check(90, 10, 0));
    assertEquals(90, value("seckill_sale_available_units", "s1", "store", "redis"));
  }

  @Test
  void dropsTheGaugesOfSalesTheSweepNoLongerCovers() {
    gauges.record(totals("open", 10, 10, 0, 0, 0), check(10, 0, 0));
    gauges.record(totals("ended", 10, 0, 0, 10, 0), check(0, 10, 0));

    gauges.retain(Set.of("open"));

    assertTrue(registry.find("seckill_sale_stock_units").tag("sale", "ended").gauges().isEmpty());
    assertTrue(registry.find("seckill_reconciliation_drift_units").tag("sale", "ended").gauges().isEmpty());
    assertEquals(10, value("seckill_sale_stock_units", "open", null, null));
  }

  private double value(String name, String sale, String tag, String tagValue) {
    var search = registry.find(name).tag("sale", sale);
    Gauge gauge = tag == null ? search.gauge() : search.tag(tag, tagValue).gauge();
    return gauge.value();
  }

  private static SaleTotals totals(String id, int stock, int available, long awaiting, long paid, long cancelled) {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    SaleRow row = new SaleRow(id, "item", stock, 1, now, now.plusSeconds(3600), 60, available, 0, now, now, "none");
    return new SaleTotals(row, List.of(
        new StatusUnits(OrderStatus.AWAITING_PAYMENT, awaiting, awaiting),
        new StatusUnits(OrderStatus.PAID, paid, paid),
        new StatusUnits(OrderStatus.CANCELLED, cancelled, cancelled)));
  }

  private static JsonObject check(long redisAvailable, long redisHeld, long drift) {
    return new JsonObject().put("redisAvailable", redisAvailable).put("redisHeldUnits", redisHeld)
        .put("drift", drift).put("consistent", drift == 0);
  }
}
