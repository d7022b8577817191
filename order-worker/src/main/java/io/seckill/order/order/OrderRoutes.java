package io.seckill.order.order;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.order.Replies;
import io.seckill.order.MysqlWork;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /internal/orders}: order lookup and payment for the gateway. */
public final class OrderRoutes {

  private final MysqlWork mysql;
  private final Payments payments;

  public OrderRoutes(MysqlWork mysql, Payments payments) {
    this.mysql = mysql;
    this.payments = payments;
  }

  public void mount(Router router) {
    router.get("/internal/orders/:orderId").handler(this::lookup);
    router.post("/internal/orders/:orderId/pay").handler(this::pay);
  }

  private void lookup(RoutingContext ctx) {
    String orderId = Replies.pathId(ctx, "orderId", Ids::isOrderId, "order");
    if (orderId == null) {
      return;
    }
    Replies.found(ctx, mysql.run(() -> payments.find(orderId)), OrderRow::toJson,
        ErrorCode.ORDER_NOT_FOUND, "no order '" + orderId + "' in MySQL");
  }

  private void pay(RoutingContext ctx) {
    String orderId = Replies.pathId(ctx, "orderId", Ids::isOrderId, "order");
    if (orderId == null) {
      return;
    }
    String userId;
    try {
      JsonObject body = ctx.body().asJsonObject();
      userId = body == null ? null : body.getValue("userId") instanceof String s ? s : null;
    } catch (DecodeException | ClassCastException e) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "body must be a JSON object {\"userId\"}");
      return;
    }
    if (!Ids.isUserId(userId)) {
      Replies.problem(ctx, ErrorCode.BAD_REQUEST, "'userId' must be 1-64 of A-Z a-z 0-9 _ . @ -");
      return;
    }
    String payer = userId;
    mysql.run(() -> payments.pay(orderId, payer))
        .onSuccess(result -> {
          if (result instanceof PayResult.Paid paid) {
            Replies.json(ctx, 200, paid.order().toJson());
          } else if (result instanceof PayResult.Expired) {
            Replies.problem(ctx, ErrorCode.ORDER_EXPIRED, "order '" + orderId + "' was cancelled or its payment window ended");
          } else {
            Replies.problem(ctx, ErrorCode.ORDER_NOT_FOUND, "no order '" + orderId + "' for this user in MySQL");
          }
        })
        .onFailure(ctx::fail);
  }
}
