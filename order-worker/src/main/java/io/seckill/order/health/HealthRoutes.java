package io.seckill.order.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.ErrorCode;
import io.seckill.order.Database;
import io.seckill.order.Replies;
import io.seckill.order.MysqlWork;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.function.BooleanSupplier;

/** Liveness, readiness (MySQL answers and the consumers run) and Prometheus metrics. */
public final class HealthRoutes {

  private final MysqlWork mysql;
  private final Database database;
  private final BooleanSupplier consuming;
  private final PrometheusMeterRegistry registry;

  public HealthRoutes(MysqlWork mysql, Database database, BooleanSupplier consuming, PrometheusMeterRegistry registry) {
    this.mysql = mysql;
    this.database = database;
    this.consuming = consuming;
    this.registry = registry;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> Replies.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  private void ready(RoutingContext ctx) {
    mysql.run(database::isReachable)
        .otherwise(false)
        .onSuccess(mysqlUp -> {
          if (!mysqlUp) {
            Replies.problem(ctx, ErrorCode.UNAVAILABLE, "MySQL does not answer");
          } else if (!consuming.getAsBoolean()) {
            Replies.problem(ctx, ErrorCode.UNAVAILABLE, "the consumers are not running");
          } else {
            Replies.json(ctx, 200, new JsonObject().put("status", "UP"));
          }
        });
  }
}
