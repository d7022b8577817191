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

/** Reconciles every sale not yet ended on a timer, so a drift shows in metrics without anyone asking. */
final class ReconciliationSweep {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationSweep.class);

  private final Vertx vertx;
  private final MysqlWork mysql;
  private final Sales sales;
  private final Reconciliation reconciliation;
  private final WorkerMetrics metrics;

  ReconciliationSweep(Vertx vertx, MysqlWork mysql, Sales sales, Reconciliation reconciliation, WorkerMetrics metrics) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.sales = sales;
    this.reconciliation = reconciliation;
    this.metrics = metrics;
  }

  void every(int seconds) {
    vertx.setPeriodic(seconds * 1000L, id -> sweep()
        .onSuccess(metrics::inconsistentSales)
        .onFailure(e -> log.warn("reconciliation sweep failed: {}", e.toString())));
  }

  private Future<Long> sweep() {
    return mysql.run(this::totalsOfOpenSales)
        .compose(all -> Future.all(all.stream().map(reconciliation::check).toList()))
        .map(checks -> checks.<JsonObject>list().stream()
            .filter(check -> Boolean.FALSE.equals(check.getBoolean("consistent")))
            .count());
  }

  private List<SaleTotals> totalsOfOpenSales() {
    return sales.notEnded().stream().map(SaleDefinition::id).map(sales::totals)
        .flatMap(Optional::stream).toList();
  }
}
