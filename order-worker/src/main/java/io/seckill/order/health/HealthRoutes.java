package io.seckill.order.health;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.PeriodicCheck;
import io.seckill.order.Database;
import io.seckill.order.MysqlWork;
import io.seckill.order.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * Liveness, and readiness: MySQL answered lately and the consumers run. MySQL is checked on a
 * timer, once a second, not per probe: a flood of readiness checks must not take connections from
 * the pool that serves payments.
 */
public final class HealthRoutes {

  private final BooleanSupplier consuming;
  private volatile boolean mysqlUp;

  public HealthRoutes(BooleanSupplier consuming) {
    this.consuming = consuming;
  }

  /** Checks MySQL every {@link PeriodicCheck#PERIOD_MILLIS} for as long as {@code vertx} runs. */
  public HealthRoutes probe(Vertx vertx, MysqlWork mysql, Database database) {
    PeriodicCheck.every(vertx, () -> mysql.run(database::isReachable), up -> mysqlUp = up);
    return this;
  }

  /** What {@code /health/ready} answers 200 to; the management listener reads it too. */
  public boolean ready() {
    return mysqlUp && consuming.getAsBoolean();
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> Replies.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    if (!mysqlUp) {
      Replies.problem(ctx, ErrorCode.UNAVAILABLE, "MySQL does not answer");
    } else if (!consuming.getAsBoolean()) {
      Replies.problem(ctx, ErrorCode.UNAVAILABLE, "the consumers are not running");
    } else {
      Replies.json(ctx, 200, new JsonObject().put("status", "UP"));
    }
  }
}
