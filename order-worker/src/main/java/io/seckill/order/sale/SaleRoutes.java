package io.seckill.order.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.seckill.order.messaging.CreationBacklog;
import io.seckill.order.messaging.GroupProgress;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * {@code /internal/sales}: the gateway creates sales here and reads their stats; stock-service's
 * restore reads a sale's snapshot ({@code GET /internal/sales/:saleId/snapshot}: what it needs to
 * rebuild a sale that Redis lost, the operator's recovery, docs/redis-recovery.md).
 *
 * <p>A snapshot is taken only once the creation consumer group has applied every creation message
 * the broker held when it was asked: a creation still in the broker is a unit Redis had reserved
 * that MySQL does not show yet, and a restore without it would sell that unit twice. Until then
 * the answer is 409 {@code CREATIONS_IN_FLIGHT} with {@code Retry-After: 1}; when the broker
 * cannot be asked, 503. Neither reads MySQL.
 */
public final class SaleRoutes {

  private static final Logger log = LoggerFactory.getLogger(SaleRoutes.class);

  private final MysqlWork mysql;
  private final Sales sales;
  private final Reconciliation reconciliation;
  private final Callable<CreationBacklog> creations;

  /** @param creations where the creation consumer group stands; blocking, run off the event loop */
  public SaleRoutes(MysqlWork mysql, Sales sales, Reconciliation reconciliation, Callable<CreationBacklog> creations) {
    this.mysql = mysql;
    this.sales = sales;
    this.reconciliation = reconciliation;
    this.creations = creations;
  }

  public void mount(Router router) {
    router.post("/internal/sales").handler(this::create);
    router.get("/internal/sales").handler(this::listNotEnded);
    router.get("/internal/sales/:saleId").handler(this::stats);
    router.get("/internal/sales/:saleId/snapshot").handler(this::snapshot);
  }

  private void create(RoutingContext ctx) {
    SaleDefinition sale;
    try {
      sale = SaleDefinition.fromJson(ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException e) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "body must be a JSON object");
      return;
    } catch (IllegalArgumentException e) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (sale.paymentWindow().getNano() != 0) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "'paymentWindow' must be a whole number of seconds");
      return;
    }
    mysql.run(() -> sales.create(sale))
        .onSuccess(outcome -> {
          switch (outcome) {
            case CREATED -> Replies.json(ctx, 201, sale.toJson());
            case IDENTICAL -> Replies.json(ctx, 200, sale.toJson());
            case DIFFERENT -> Replies.problem(ctx, ErrorCode.SALE_EXISTS,
                "a different sale with id '" + sale.id() + "' exists");
          }
        })
        .onFailure(ctx::fail);
  }

  private void listNotEnded(RoutingContext ctx) {
    mysql.run(sales::notEnded)
        .onSuccess(list -> Replies.json(ctx, 200, new JsonArray(list.stream().map(SaleDefinition::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void stats(RoutingContext ctx) {
    String saleId = Replies.pathId(ctx, "saleId", Ids::isSaleId, "sale");
    if (saleId == null) {
      return;
    }
    Future<JsonObject> body = mysql.run(() -> sales.totals(saleId))
        .compose(totals -> totals.isEmpty() ? Future.succeededFuture((JsonObject) null) : withReconciliation(totals.get()));
    Replies.found(ctx, body, json -> json, ErrorCode.SALE_NOT_FOUND, "no sale '" + saleId + "'");
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

  private Future<JsonObject> withReconciliation(SaleTotals totals) {
    return reconciliation.check(totals).map(check -> totals.toJson().put("reconciliation", check));
  }
}
