package io.seckill.order.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.seckill.order.messaging.CreationBacklog;
import io.seckill.order.messaging.GroupProgress;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * {@code GET /internal/sales/:saleId/snapshot}: what stock-service's restore needs to rebuild a
 * sale that Redis lost (the operator's recovery, docs/redis-recovery.md).
 *
 * <p>A snapshot is taken only once the creation consumer group has applied every creation message
 * the broker held when it was asked: a creation still in the broker is a unit Redis had reserved
 * that MySQL does not show yet, and a restore without it would sell that unit twice. Until then
 * the answer is 409 {@code CREATIONS_IN_FLIGHT} with {@code Retry-After: 1}; when the broker
 * cannot be asked, 503. Neither reads MySQL.
 */
public final class SaleSnapshotRoutes {

  private static final Logger log = LoggerFactory.getLogger(SaleSnapshotRoutes.class);

  private final MysqlWork mysql;
  private final Sales sales;
  private final Callable<CreationBacklog> creations;

  /** @param creations where the creation consumer group stands; blocking, run off the event loop */
  public SaleSnapshotRoutes(MysqlWork mysql, Sales sales, Callable<CreationBacklog> creations) {
    this.mysql = mysql;
    this.sales = sales;
    this.creations = creations;
  }

  public void mount(Router router) {
    router.get("/internal/sales/:saleId/snapshot").handler(this::snapshot);
  }

  private void snapshot(RoutingContext ctx) {
    String saleId = Replies.pathId(ctx, "saleId", Ids::isSaleId, "sale");
    if (saleId == null) {
      return;
    }
    // broker round trips, not MySQL: on their own threads, not holding the MySQL pool's
    ctx.vertx().executeBlocking(creations, false)
        .recover(e -> Future.failedFuture(e instanceof GroupProgress.Unavailable ? e
            : new GroupProgress.Unavailable("the creation consumer's progress could not be read: " + e, e)))
        .onSuccess(backlog -> {
          if (backlog.caughtUp()) {
            Replies.found(ctx, mysql.run(() -> sales.snapshot(saleId).orElse(null)), SaleSnapshot::toJson,
                ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
          } else {
            ctx.response().putHeader("Retry-After", "1");
            Replies.problem(ctx, ErrorCode.CREATIONS_IN_FLIGHT, backlog.describe());
          }
        })
        .onFailure(e -> {
          log.warn("snapshot of sale {} refused: {}", saleId, e.getMessage());
          ctx.response().putHeader("Retry-After", "1");
          Replies.problem(ctx, ErrorCode.UNAVAILABLE, "the broker cannot tell whether every creation message is in MySQL ("
              + e.getMessage() + "); no snapshot is taken on a guess, ask again");
        });
  }
}
