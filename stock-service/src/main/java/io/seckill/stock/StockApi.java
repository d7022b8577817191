package io.seckill.stock;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.http.InternalAuth;
import io.seckill.stock.botdefense.SolutionLedger;
import io.seckill.stock.botdefense.SolutionRoutes;
import io.seckill.stock.http.HealthRoutes;
import io.seckill.stock.http.Problems;
import io.seckill.stock.http.Readiness;
import io.seckill.stock.redis.RedisClients;
import io.seckill.stock.redis.StockScripts;
import io.seckill.stock.reservation.ReservationRoutes;
import io.seckill.stock.reservation.Reservations;
import io.seckill.stock.restore.RestoreRoutes;
import io.seckill.stock.restore.Restores;
import io.seckill.stock.sale.SaleCatalog;
import io.seckill.stock.sale.SaleRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The internal HTTP API. One instance per event loop, each with its own Redis pool. */
public final class StockApi extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StockApi.class);
  private static final long BODY_LIMIT = 16 * 1024;
  private static final Pattern SALE_COUNTERS = Pattern.compile("/internal/sales/[^/]+");

  private final StockConfig config;
  private final StockMetrics metrics;
  private final Readiness readiness;
  private Redis client;
  private HttpServer server;

  public StockApi(StockConfig config, StockMetrics metrics, Readiness readiness) {
    this.config = config;
    this.metrics = metrics;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    client = RedisClients.create(vertx, config.redis());
    RedisAPI redis = RedisAPI.api(client);
    StockScripts scripts = StockScripts.fromClasspath(client, config.redis().cluster(),
        config.redis().waitReplicaMillis(), metrics::scriptReloaded);

    Router router = Router.router(vertx);
    // credentials before the body is read: a caller without one costs no buffering (the restore
    // route takes up to 64 MiB) and no Redis call
    router.route("/internal/*").handler(new InternalAuth()
        .allow(config.gateway())
        // the order-worker only reads a sale's counters, for reconciliation
        .allow(config.worker(), ctx -> ctx.request().method() == HttpMethod.GET
            && SALE_COUNTERS.matcher(ctx.normalizedPath()).matches()));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    BodyHandler snapshot = BodyHandler.create(false).setBodyLimit(RestoreRoutes.BODY_LIMIT);
    router.route().handler(ctx -> (RestoreRoutes.isRestore(ctx.request()) ? snapshot : body).handle(ctx));
    new SaleRoutes(new SaleCatalog(scripts, redis)).mount(router);
    new RestoreRoutes(new Restores(scripts, redis), new SaleCatalog(scripts, redis)).mount(router);
    new ReservationRoutes(new Reservations(scripts, redis), metrics).mount(router);
    new SolutionRoutes(new SolutionLedger(redis)).mount(router);
    new HealthRoutes(readiness).mount(router);
    HealthRoutes.probe(vertx, redis, readiness);
    router.route().failureHandler(this::failure);
    for (int status : new int[] {400, 404, 405, 413, 415}) {
      router.errorHandler(status, ctx -> Problems.send(ctx, Problems.forStatus(status),
          ctx.request().method() + " " + ctx.request().path() + ": " + Problems.forStatus(status).title()));
    }

    return scripts.loadAll()
        .compose(loaded -> vertx.createHttpServer(new HttpServerOptions().setPort(config.httpPort()).setHost(config.bindHost()))
            .requestHandler(router)
            .listen())
        .onSuccess(listening -> server = listening);
  }

  /** Stops accepting and answers what is in flight (its script may have run) before Redis closes. */
  @Override
  public Future<?> stop() {
    Future<Void> drained = server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
    return drained.eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }

  /** The one place an unexpected failure becomes a 5xx, logged once. */
  private void failure(RoutingContext ctx) {
    if (ctx.failure() == null) {
      ErrorCode code = Problems.forStatus(ctx.statusCode());
      Problems.send(ctx, code, code.title());
      return;
    }
    LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    if (!ctx.response().ended()) {
      Problems.send(ctx, ErrorCode.UNAVAILABLE, "the inventory store did not answer; retry");
    }
  }
}
