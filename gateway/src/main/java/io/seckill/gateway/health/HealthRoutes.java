package io.seckill.gateway.health;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.PeriodicCheck;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.InternalService;
import io.seckill.gateway.upstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready}: ready only while not
 * shutting down and while both stock-service and order-worker said they were ready at the last
 * probe, so a load balancer sends no buyer to a gateway that could only answer 503. The upstreams
 * are probed on a timer ({@link PeriodicCheck}), never per request: readiness is on the public
 * port, and a flood of it must cost no internal call.
 */
public final class HealthRoutes {

  private final InternalService stockService;
  private final InternalService orderWorker;
  private final BooleanSupplier draining;
  private volatile boolean stockUp;
  private volatile boolean orderUp;

  public HealthRoutes(InternalService stockService, InternalService orderWorker, BooleanSupplier draining) {
    this.stockService = stockService;
    this.orderWorker = orderWorker;
    this.draining = draining;
  }

  /** Probes both upstreams every {@link PeriodicCheck#PERIOD_MILLIS} while {@code vertx} runs. */
  public void probe(Vertx vertx) {
    PeriodicCheck.every(vertx, () -> up(stockService), up -> stockUp = up);
    PeriodicCheck.every(vertx, () -> up(orderWorker), up -> orderUp = up);
  }

  /** What {@code /health/ready} answers 200 to; the management listener reads it too. */
  public boolean ready() {
    return !draining.getAsBoolean() && stockUp && orderUp;
  }

  public void live(RoutingContext ctx) {
    Answer.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      Answer.problem(ctx, ErrorCode.UNAVAILABLE, "shutting down");
    } else if (stockUp && orderUp) {
      Answer.json(ctx, 200, new JsonObject().put("status", "UP").put("stockService", "UP").put("orderWorker", "UP"));
    } else {
      Answer.problem(ctx, ErrorCode.UNAVAILABLE, "stock-service " + (stockUp ? "UP" : "DOWN")
          + ", order-worker " + (orderUp ? "UP" : "DOWN"));
    }
  }

  private static Future<Boolean> up(InternalService service) {
    return service.get("/health/ready").map((Reply reply) -> reply.status() == 200);
  }
}
