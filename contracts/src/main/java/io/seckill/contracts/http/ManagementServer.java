package io.seckill.contracts.http;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A service's management listener: {@code GET /metrics} (Prometheus), {@code /health/live} and
 * {@code /health/ready}, on its own port, never on a public Service. Readiness reads a state that
 * the service refreshes in the background, so a flood of probes costs no upstream call.
 */
public final class ManagementServer {

  /** The HTTP methods a metric may name; anything else is counted as {@code OTHER}. */
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private ManagementServer() {
  }

  /**
   * Bounds the {@code method} tag of Vert.x's HTTP meters to the known methods: a client sending
   * made-up methods would otherwise create new time series without end. Call before any meter
   * is registered.
   */
  public static void boundHttpMethodTag(PrometheusMeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.replaceTagValues("method",
        method -> KNOWN_METHODS.contains(method) ? method : "OTHER"));
  }

  public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
                                         BooleanSupplier ready) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      if (ready.getAsBoolean()) {
        ctx.json(new JsonObject().put("status", "UP"));
      } else {
        ProblemJson.send(ctx.response(), ErrorCode.UNAVAILABLE, "not ready");
      }
    });
    router.route().last().handler(ctx -> ProblemJson.send(ctx.response(), ErrorCode.NOT_FOUND,
        "the management port serves /metrics and /health/*"));
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router)
        .listen();
  }
}
