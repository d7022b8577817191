package io.seckill.gateway.health;

import io.seckill.contracts.ErrorCode;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready}: ready only while not
 * shutting down and while both stock-service and order-worker say they are ready, so a load
 * balancer sends no buyer to a gateway that could only answer 503.
 */
public final class HealthRoutes {

  private final InternalService stockService;
  private final InternalService orderWorker;
  private final BooleanSupplier draining;

  public HealthRoutes(InternalService stockService, InternalService orderWorker, BooleanSupplier draining) {
    this.stockService = stockService;
    this.orderWorker = orderWorker;
    this.draining = draining;
  }

  public void live(RoutingContext ctx) {
    Answer.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      Answer.problem(ctx, ErrorCode.UNAVAILABLE, "shutting down");
      return;
    }
    Future<Boolean> stock = up(stockService);
    Future<Boolean> order = up(orderWorker);
    Future.all(stock, order).onComplete(ar -> {
      if (stock.result() && order.result()) {
        Answer.json(ctx, 200, new JsonObject().put("status", "UP")
            .put("stockService", "UP").put("orderWorker", "UP"));
      } else {
        Answer.problem(ctx, ErrorCode.UNAVAILABLE, "stock-service " + (stock.result() ? "UP" : "DOWN")
            + ", order-worker " + (order.result() ? "UP" : "DOWN"));
      }
    });
  }

  private static Future<Boolean> up(InternalService service) {
    return service.get("/health/ready").map((Reply reply) -> reply.status() == 200).otherwise(false);
  }
}
