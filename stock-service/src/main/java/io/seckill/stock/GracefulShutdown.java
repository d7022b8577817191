package io.seckill.stock;

import io.seckill.stock.http.Readiness;
import io.seckill.stock.outbox.OrderPublisher;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM, within {@code SECKILL_SHUTDOWN_GRACE_MS}: report not-ready at once; undeploy the HTTP
 * API, which stops accepting and answers every request in flight (a reservation whose script ran
 * must reach its caller, or the buyer holds a unit they do not know about); then the release
 * consumer; then the outbox publisher, which finishes its current batch (publish, then XDEL and
 * XACK); only then close the producer and Vert.x. What the publisher had not read yet stays in the
 * stream for the restarted instance or any other one.
 */
final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  /** What each step may take beyond the grace, and closing Vert.x at the end. */
  private static final long STEP_SLACK_MS = 2_000;

  private final Vertx vertx;
  private final OrderPublisher publisher;
  private final long graceMillis;
  private final Readiness readiness;
  private final List<String> deployments = new CopyOnWriteArrayList<>();

  GracefulShutdown(Vertx vertx, OrderPublisher publisher, Readiness readiness, long graceMillis) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.readiness = readiness;
    this.graceMillis = graceMillis;
  }

  /** Records a deployment; they are undeployed in the reverse order. */
  void deployed(String deploymentId) {
    deployments.add(deploymentId);
  }

  void run() {
    // from the signal on, readiness answers 503 so no new traffic is routed here
    readiness.drain();
    long deadline = System.currentTimeMillis() + graceMillis;
    LOG.info("shutting down: answering requests in flight and finishing the outbox batch (up to {} ms)", graceMillis);
    List<String> reverse = new ArrayList<>(deployments);
    Collections.reverse(reverse);
    for (String id : reverse) {
      long left = Math.max(0, deadline - System.currentTimeMillis()) + STEP_SLACK_MS;
      try {
        vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(left, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("a part did not stop within the grace period: {}", e.toString());
      }
    }
    publisher.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(STEP_SLACK_MS, TimeUnit.MILLISECONDS);
      LOG.info("stock-service stopped");
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }
}
