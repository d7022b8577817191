package io.seckill.stock.http;

import io.seckill.contracts.http.PeriodicCheck;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Liveness (the process answers) and readiness (Redis answered a PING within a second, at most a
 * second ago, and the service is not shutting down). The PING runs on a timer, not per probe, so
 * a flood of readiness checks costs no Redis call. The broker is not part of readiness:
 * reservations go to the outbox and are published when it is back.
 */
public final class HealthRoutes {

  private final Readiness readiness;

  public HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  /** Pings Redis every {@link PeriodicCheck#PERIOD_MILLIS} for as long as {@code vertx} runs; returns the timer id. */
  public static long probe(Vertx vertx, RedisAPI redis, Readiness readiness) {
    return PeriodicCheck.every(vertx,
        () -> redis.ping(List.of()).timeout(1, TimeUnit.SECONDS).map(pong -> true), readiness::redis);
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    if (readiness.ready()) {
      json(ctx, 200, new JsonObject().put("status", "UP").put("redis", "UP"));
    } else {
      json(ctx, 503, new JsonObject().put("status", "DOWN")
          .put("redis", readiness.redisUp() ? "UP" : "DOWN").put("draining", readiness.draining()));
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
