package io.seckill.order;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.http.ManagementServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Starts the order-worker: {@code java -jar order-worker/target/order-worker.jar}. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    OrderWorkerConfig config = OrderWorkerConfig.fromEnv(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManagementServer.boundHttpMethodTag(registry);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    vertx.deployVerticle(new WorkerVerticle(config, registry))
        .onFailure(e -> {
          log.error("order-worker failed to start", e);
          // not on the event loop: exiting runs the shutdown hook, which waits for Vert.x to close
          new Thread(() -> System.exit(1), "order-worker-exit").start();
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        // the verticle's stop finishes HTTP requests and consumed messages within the grace
        vertx.close().toCompletionStage().toCompletableFuture()
            .get(config.recovery().shutdownGraceMillis() + 10_000L, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "order-worker-shutdown"));
  }
}
