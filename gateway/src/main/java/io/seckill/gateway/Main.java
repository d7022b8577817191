package io.seckill.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.http.ManagementServer;
import io.seckill.gateway.sale.SaleWatchVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Starts the gateway: settings from the environment, one HTTP verticle per event loop, a shutdown hook. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** The HTTP verticles' deployment, undeployed first on shutdown. */
  private static volatile String httpDeployment;
  private static volatile String watchDeployment;

  private Main() {
  }

  public static void main(String[] args) {
    GatewayConfig config;
    try {
      config = GatewayConfig.fromEnv(System.getenv(), LOG::warn);
    } catch (IllegalArgumentException e) {
      LOG.error("gateway refuses to start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    if (config.usesDevSecret()) {
      LOG.warn("""

          ************************************************************************
          *  SECKILL_JWT_SECRET is the PUBLIC DEVELOPMENT SECRET.                 *
          *  Anyone can mint tokens for this gateway, admin tokens included.     *
          *  Set SECKILL_JWT_SECRET (32+ bytes) for anything but a local run.    *
          ************************************************************************""");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManagementServer.boundHttpMethodTag(registry);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setEventLoopPoolSize(config.eventLoops())
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Gateway gateway = Gateway.create(vertx, config, registry);
    gateway.health().probe(vertx);

    vertx.deployVerticle(new SaleWatchVerticle(gateway.catalog(), gateway.soldOut(), gateway.purchases()::forgetReplays,
            config.saleRefreshMillis(), config.soldOutProbeMillis()))
        .onSuccess(id -> watchDeployment = id)
        .compose(id -> vertx.deployVerticle(() -> new GatewayVerticle(gateway),
            new DeploymentOptions().setInstances(config.eventLoops())))
        .onSuccess(id -> httpDeployment = id)
        .compose(id -> ManagementServer.start(vertx, config.bindHost(), config.managementPort(), registry,
            gateway.health()::ready))
        .onSuccess(management -> LOG.info("gateway listening on {}:{}, management port {} (stock-service {},"
                + " order-worker {}, rate per sale/user/ip {}/{}/{})",
            config.bindHost(), config.port(), management.actualPort(), config.stockUrl(), config.orderUrl(),
            config.ratePerSale(), config.ratePerUser(), config.ratePerIp()))
        .onFailure(e -> {
          LOG.error("gateway failed to start", e);
          // Not on the event loop: exiting runs the shutdown hook, which waits for Vert.x to close.
          new Thread(() -> System.exit(1), "gateway-exit").start();
        });

    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, gateway), "gateway-shutdown"));
  }

  /**
   * SIGTERM: report not-ready at once, then undeploy the HTTP verticles, each of which stops
   * accepting and waits, up to the grace period, for the requests in flight. Only then close
   * Vert.x: closing it first would also close the clients those requests are still using.
   */
  private static void shutdown(Vertx vertx, Gateway gateway) {
    gateway.draining().set(true);
    long grace = gateway.config().shutdownGraceMillis();
    LOG.info("shutting down: finishing requests in flight (up to {} ms)", grace);
    try {
      if (httpDeployment != null) {
        vertx.undeploy(httpDeployment).toCompletionStage().toCompletableFuture()
            .get(grace + 2_000, TimeUnit.MILLISECONDS);
      }
      if (watchDeployment != null) {
        vertx.undeploy(watchDeployment).toCompletionStage().toCompletableFuture().get(2_000, TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.warn("requests in flight did not all finish: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5_000, TimeUnit.MILLISECONDS);
      LOG.info("gateway stopped");
    } catch (Exception e) {
      LOG.warn("shutdown did not finish cleanly: {}", e.toString());
    }
  }
}
