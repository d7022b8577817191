package io.seckill.order;

import io.seckill.contracts.SaleDefinition;
import io.seckill.order.sale.Reconciliation;
import io.seckill.order.sale.SaleTotals;
import io.seckill.order.sale.Sales;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles every sale not yet ended on a timer, so a drift shows in metrics without anyone asking;
 * each sale's units go out as gauges too ({@link SaleUnitGauges}).
 */
final class ReconciliationSweep {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationSweep.class);

  private final Vertx vertx;
  private final MysqlWork mysql;
  private final Sales sales;
  private final Reconciliation reconciliation;
  private final WorkerMetrics metrics;
  private final SaleUnitGauges units;

  ReconciliationSweep(Vertx vertx, MysqlWork mysql, Sales sales, Reconciliation reconciliation, WorkerMetrics metrics) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.sales = sales;
    this.reconciliation = reconciliation;
    this.metrics = metrics;
    this.units = new SaleUnitGauges(metrics.registry());
  }

  void every(int seconds) {
    vertx.setPeriodic(seconds * 1000L, id -> sweep()
        .onSuccess(metrics::inconsistentSales)
        .onFailure(e -> log.warn("reconciliation sweep failed: {}", e.toString())));
  }

  private Future<Long> sweep() {
    return mysql.run(this::totalsOfOpenSales)
        .onSuccess(all -> units.retain(all.stream().map(totals -> totals.sale().id()).collect(Collectors.toSet())))
        .compose(all -> Future.all(all.stream().map(this::checkAndRecord).toList()))
        .map(checks -> checks.<JsonObject>list().stream()
            .filter(check -> Boolean.FALSE.equals(check.getBoolean("consistent")))
            .count());
  }

  /** The check of one sale, its units published as gauges on the way (check never fails). */
  private Future<JsonObject> checkAndRecord(SaleTotals totals) {
    return reconciliation.check(totals).onSuccess(check -> {
      units.record(totals, check);
      if (Boolean.FALSE.equals(check.getBoolean("consistent"))) {
        metrics.reconciliationMismatch();
        log.warn("sale {}: Redis available {} vs MySQL available {} (MySQL held {} of {})", totals.sale().id(),
            check.getLong("redisAvailable"), check.getLong("mysqlAvailable"), check.getLong("mysqlHeldUnits"),
            totals.sale().stock());
      }
    });
  }

  private List<SaleTotals> totalsOfOpenSales() {
    return sales.notEnded().stream().map(SaleDefinition::id).map(sales::totals)
        .flatMap(Optional::stream).toList();
  }
}
