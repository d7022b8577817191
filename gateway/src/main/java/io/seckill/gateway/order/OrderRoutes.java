package io.seckill.gateway.order;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Ids;
import io.seckill.contracts.http.PathParams;
import io.seckill.gateway.auth.Caller;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/orders/:orderId} and {@code POST /api/orders/:orderId/pay}, owner only.
 *
 * <p>An order exists first as a Redis reservation and only later, once its message is consumed, as
 * a MySQL row. Both routes ask order-worker first and fall back to stock-service's reservation, so
 * a buyer sees {@code RESERVED} (and is told to retry paying) in between. Another user's order is
 * answered exactly like an unknown one, so order ids cannot be probed.
 */
public final class OrderRoutes {

  private final InternalService orderWorker;
  private final InternalService stockService;

  public OrderRoutes(InternalService orderWorker, InternalService stockService) {
    this.orderWorker = orderWorker;
    this.stockService = stockService;
  }

  public void get(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    String orderId = orderId(ctx);
    if (orderId == null) {
      return;
    }
    orderWorker.get("/internal/orders/" + orderId)
        .compose(reply -> reply.status() == 200 ? Future.succeededFuture(reply) : reservation(orderId))
        .onSuccess(reply -> answerOrder(ctx, caller, orderId, reply))
        .onFailure(ctx::fail);
  }

  public void pay(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    String orderId = orderId(ctx);
    if (orderId == null) {
      return;
    }
    orderWorker.post("/internal/orders/" + orderId + "/pay", new JsonObject().put("userId", caller.userId()))
        .onSuccess(reply -> answerPay(ctx, caller, orderId, reply))
        .onFailure(ctx::fail);
  }

  private Future<Reply> reservation(String orderId) {
    return stockService.get("/internal/reservations/" + orderId);
  }

  private void answerOrder(RoutingContext ctx, Caller caller, String orderId, Reply reply) {
    JsonObject json = reply.json();
    if (reply.status() != 200 || !caller.userId().equals(json.getString("userId"))
        || "RELEASED".equals(json.getString("status"))) {
      notFound(ctx, orderId);
      return;
    }
    Answer.json(ctx, 200, view(json));
  }

  private void answerPay(RoutingContext ctx, Caller caller, String orderId, Reply reply) {
    JsonObject json = reply.json();
    if (reply.status() == 200) {
      if (!caller.userId().equals(json.getString("userId"))) {
        notFound(ctx, orderId);
      } else {
        Answer.json(ctx, 200, view(json));
      }
      return;
    }
    if (reply.status() == 404) {
      // Not in MySQL yet: if it is still the caller's live reservation, paying will work shortly.
      reservation(orderId)
          .onSuccess(r -> {
            JsonObject held = r.json();
            if (r.status() == 200 && caller.userId().equals(held.getString("userId"))
                && "RESERVED".equals(held.getString("status"))) {
              ctx.response().putHeader("Retry-After", "1");
              Answer.problem(ctx, ErrorCode.ORDER_NOT_READY, "order " + orderId + " is still being recorded; retry shortly");
            } else {
              notFound(ctx, orderId);
            }
          })
          .onFailure(ctx::fail);
      return;
    }
    ErrorCode code = Answer.codeOf(json, ErrorCode.BAD_REQUEST);
    Answer.problem(ctx, reply.status(), code, json.getString("detail", code.title()));
  }

  private static JsonObject view(JsonObject order) {
    return new JsonObject()
        .put("orderId", order.getString("orderId"))
        .put("saleId", order.getString("saleId"))
        .put("userId", order.getString("userId"))
        .put("quantity", order.getValue("quantity"))
        .put("status", order.getString("status"))
        .put("expiresAt", order.getValue("expiresAt"));
  }

  private static String orderId(RoutingContext ctx) {
    return PathParams.checked(ctx, "orderId", Ids::isOrderId,
        "order id must look like <saleId>.<26 base32 characters>", Answer::problem);
  }

  private static void notFound(RoutingContext ctx, String orderId) {
    Answer.problem(ctx, ErrorCode.ORDER_NOT_FOUND, "no order '" + orderId + "' for this user");
  }
}
