package io.seckill.gateway;

import io.seckill.contracts.ErrorCode;
import io.seckill.gateway.auth.Caller;
import io.seckill.gateway.auth.TokenVerifier;
import io.seckill.gateway.console.ConsoleRoutes;
import io.seckill.gateway.http.Answer;
import io.seckill.gateway.upstream.UpstreamUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The public HTTP API on one event loop; {@link Main} deploys one instance per event loop, all
 * sharing one {@link Gateway}. Stopping it stops accepting connections and lets the requests in
 * flight finish within the configured grace period.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** The largest body any route accepts; larger ones are answered 413 before they are read. */
  public static final long BODY_LIMIT = 4 * 1024;
  private static final String ROUTE = "seckill.route";

  private final Gateway gateway;
  private HttpServer server;

  public GatewayVerticle(Gateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(gateway.config().port())
        .setHost(gateway.config().bindHost())
        .setTcpNoDelay(true)
        // HTTP/1.1 only: with cleartext HTTP/2 on, a connection waits for its first bytes to tell
        // the protocols apart, and only then reaches the connection handler (ConnectionCap), so
        // silent connections would escape the bound
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(60)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(16 * 1024));
    return server.connectionHandler(gateway.connections()::accept).requestHandler(router()).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(gateway.config().shutdownGraceMillis(), TimeUnit.MILLISECONDS);
  }

  private Router router() {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    // Vert.x Web wants the body handler first on a route, so a 413 is counted under "unmatched".
    router.route().handler(this::measure);

    router.get("/health/live").handler(named("/health/live")).handler(gateway.health()::live);
    router.get("/health/ready").handler(named("/health/ready")).handler(gateway.health()::ready);

    // Admin answers (sale counters, dead letters) are never stored by a browser or a proxy.
    router.route("/admin/*").handler(GatewayVerticle::adminHeaders);
    ConsoleRoutes.mount(router, named(ConsoleRoutes.PATH + "/*"));
    router.post("/admin/sales").handler(body).handler(named("/admin/sales")).handler(this::requireJson)
        .handler(this::authenticate).handler(this::requireAdmin).handler(gateway.admin()::create);
    router.get("/admin/sales/:id").handler(named("/admin/sales/:id"))
        .handler(this::authenticate).handler(this::requireAdmin).handler(gateway.admin()::get);
    router.post("/admin/sales/:id/restore").handler(named("/admin/sales/:id/restore"))
        .handler(this::authenticate).handler(this::requireAdmin).handler(gateway.admin()::restore);
    router.get("/admin/dead-letters").handler(named("/admin/dead-letters"))
        .handler(this::authenticate).handler(this::requireAdmin).handler(gateway.deadLetters()::list);
    router.post("/admin/dead-letters/:id/replay").handler(named("/admin/dead-letters/:id/replay"))
        .handler(this::authenticate).handler(this::requireAdmin).handler(gateway.deadLetters()::replay);
    router.post("/api/sales/:id/purchase").handler(body).handler(named("/api/sales/:id/purchase"))
        .handler(this::requireJson).handler(gateway.purchases()::soldOutBeforeIdentity)
        .handler(this::authenticate).handler(gateway.purchases()::purchase);
    router.post("/api/sales/:id/challenge").handler(body).handler(named("/api/sales/:id/challenge"))
        .handler(this::authenticate).handler(gateway.botDefense()::challenge);
    router.post("/api/sales/:id/ticket").handler(body).handler(named("/api/sales/:id/ticket"))
        .handler(this::requireJson).handler(this::authenticate).handler(gateway.botDefense()::ticket);
    router.get("/api/orders/:orderId").handler(named("/api/orders/:orderId"))
        .handler(this::authenticate).handler(gateway.orders()::get);
    router.post("/api/orders/:orderId/pay").handler(body).handler(named("/api/orders/:orderId/pay"))
        .handler(this::authenticate).handler(gateway.orders()::pay);

    router.errorHandler(404, ctx -> Answer.problem(ctx, ErrorCode.NOT_FOUND, "no route " + ctx.request().path()));
    router.errorHandler(405, ctx -> Answer.problem(ctx, ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed here"));
    router.route().failureHandler(this::failure);
    return router;
  }

  private static Handler<RoutingContext> named(String route) {
    return ctx -> {
      ctx.put(ROUTE, route);
      ctx.next();
    };
  }

  private void measure(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      String route = ctx.get(ROUTE);
      String outcome = ctx.get(Answer.OUTCOME);
      gateway.metrics().request(route == null ? "unmatched" : route,
          outcome == null ? Integer.toString(ctx.response().getStatusCode()) : outcome,
          System.nanoTime() - start);
    });
    ctx.next();
  }

  private static void adminHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Cache-Control", "no-store")
        .set("X-Content-Type-Options", "nosniff");
    ctx.next();
  }

  private void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !type.regionMatches(true, 0, "application/json", 0, 16)) {
      Answer.problem(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
      return;
    }
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    gateway.tokens().verify(ctx.request().getHeader("Authorization")).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.put(Caller.class.getName(), ar.result());
        ctx.next();
      } else {
        gateway.metrics().rejected("unauthorized");
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Answer.problem(ctx, ErrorCode.UNAUTHORIZED, ar.cause() instanceof TokenVerifier.BadToken
            ? ar.cause().getMessage() : "invalid token");
      }
    });
  }

  private void requireAdmin(RoutingContext ctx) {
    Caller caller = ctx.get(Caller.class.getName());
    if (!caller.admin()) {
      Answer.problem(ctx, ErrorCode.FORBIDDEN, "this route needs the admin role");
      return;
    }
    ctx.next();
  }

  private void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof UpstreamUnavailable) {
      LOG.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), failure.getMessage());
      ctx.response().putHeader("Retry-After", "1");
      Answer.problem(ctx, ErrorCode.UNAVAILABLE, "a backing service is unavailable; retry shortly");
    } else if (status == 413) {
      Answer.problem(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the body must be at most " + BODY_LIMIT + " bytes");
    } else if (status == 400) {
      Answer.problem(ctx, ErrorCode.BAD_REQUEST, "malformed request");
    } else if (status == 404) {
      Answer.problem(ctx, ErrorCode.NOT_FOUND, "no route " + ctx.request().path());
    } else if (status == 405) {
      Answer.problem(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed here");
    } else if (status == 415) {
      Answer.problem(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    } else {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      Answer.problem(ctx, ErrorCode.INTERNAL_ERROR, "unexpected error");
    }
  }
}
