package io.seckill.stock.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness (the process answers) and readiness (not shutting down, and Redis answers a PING within
 * a second). The broker is not part of readiness: reservations go to the outbox and are published
 * when it is back.
 */
public final class HealthRoutes {

  private final RedisAPI redis;
  private final BooleanSupplier draining;

  public HealthRoutes(RedisAPI redis, BooleanSupplier draining) {
    this.redis = redis;
    this.draining = draining;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "DRAINING"));
      return;
    }
    redis.ping(List.of())
        .timeout(1, TimeUnit.SECONDS)
        .onSuccess(pong -> json(ctx, 200, new JsonObject().put("status", "UP").put("redis", "UP")))
        .onFailure(e -> json(ctx, 503, new JsonObject().put("status", "DOWN").put("redis", String.valueOf(e.getMessage()))));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
