package io.seckill.order.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /internal/sales/:saleId/snapshot}: what stock-service's restore needs to rebuild a
 * sale that Redis lost (the operator's recovery, docs/redis-recovery.md).
 */
public final class SaleSnapshotRoutes {

  private final MysqlWork mysql;
  private final SaleSnapshots snapshots;

  public SaleSnapshotRoutes(MysqlWork mysql, SaleSnapshots snapshots) {
    this.mysql = mysql;
    this.snapshots = snapshots;
  }

  public void mount(Router router) {
    router.get("/internal/sales/:saleId/snapshot").handler(this::snapshot);
  }

  private void snapshot(RoutingContext ctx) {
    String saleId = ctx.pathParam("saleId");
    if (!Ids.isSaleId(saleId)) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "malformed sale id");
      return;
    }
    mysql.run(() -> snapshots.take(saleId))
        .onSuccess(snapshot -> {
          if (snapshot.isEmpty()) {
            Replies.problem(ctx, ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
          } else {
            Replies.json(ctx, 200, snapshot.get().toJson());
          }
        })
        .onFailure(ctx::fail);
  }
}
