package io.seckill.stock;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.http.ManagementServer;
import io.seckill.stock.http.Readiness;
import io.seckill.stock.outbox.OrderPublisher;
import io.seckill.stock.outbox.OutboxPublisher;
import io.seckill.stock.release.StockReleaseConsumer;
import io.seckill.stock.sale.SaleRetirement;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts stock-service: the outbox publisher and the release consumer first, the HTTP API last,
 * so the service answers ready only when everything behind it runs.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    StockConfig config = StockConfig.fromEnv(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManagementServer.boundHttpMethodTag(registry);
    Readiness readiness = new Readiness();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setEventLoopPoolSize(config.eventLoops())
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    StockMetrics metrics = new StockMetrics(registry);
    OrderPublisher publisher = OrderPublisher.start(config.rocketMq(), config.outbox().consumer());

    GracefulShutdown shutdown = new GracefulShutdown(vertx, publisher, readiness, config.shutdownGraceMillis());
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "stock-shutdown"));

    vertx.deployVerticle(new OutboxPublisher(config.redis(), config.outbox(), publisher, metrics))
        .onSuccess(shutdown::deployed)
        .compose(id -> vertx.deployVerticle(new StockReleaseConsumer(config.redis(), config.rocketMq(),
            config.outbox().consumer(), publisher, metrics)))
        .onSuccess(shutdown::deployed)
        .compose(id -> vertx.deployVerticle(new SaleRetirement(config.redis(), config.retentionSeconds() * 1000L, metrics)))
        .onSuccess(shutdown::deployed)
        .compose(id -> vertx.deployVerticle(() -> new StockApi(config, metrics, readiness),
            new DeploymentOptions().setInstances(config.eventLoops())))
        .onSuccess(shutdown::deployed)
        .compose(id -> ManagementServer.start(vertx, config.bindHost(), config.managementPort(), registry,
            readiness::ready))
        .onSuccess(management -> LOG.info("stock-service listening on {}:{}, management port {} (outbox consumer {})",
            config.bindHost(), config.httpPort(), management.actualPort(), config.outbox().consumer()))
        .onFailure(failure -> {
          LOG.error("stock-service failed to start", failure);
          // not on the event loop: the shutdown hook waits for Vert.x to close
          new Thread(() -> System.exit(1), "stock-exit").start();
        });
  }
}
