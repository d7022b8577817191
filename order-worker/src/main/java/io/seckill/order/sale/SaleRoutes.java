package io.seckill.order.sale;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.SaleDefinition;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /internal/sales}: the gateway creates sales here and reads their stats. The recovery's
 * snapshot of a sale is {@link SaleSnapshotRoutes}.
 */
public final class SaleRoutes {

  private final MysqlWork mysql;
  private final Sales sales;
  private final Reconciliation reconciliation;

  public SaleRoutes(MysqlWork mysql, Sales sales, Reconciliation reconciliation) {
    this.mysql = mysql;
    this.sales = sales;
    this.reconciliation = reconciliation;
  }

  public void mount(Router router) {
    router.post("/internal/sales").handler(this::create);
    router.get("/internal/sales").handler(this::listNotEnded);
    router.get("/internal/sales/:saleId").handler(this::stats);
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

  private Future<JsonObject> withReconciliation(SaleTotals totals) {
    return reconciliation.check(totals).map(check -> totals.toJson().put("reconciliation", check));
  }
}
