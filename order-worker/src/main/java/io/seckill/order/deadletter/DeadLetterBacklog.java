package io.seckill.order.deadletter;

import io.seckill.order.MysqlWork;
import io.seckill.order.WorkerMetrics;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gauge {@code seckill_dead_letters_unreplayed} current from MySQL, so it counts every
 * worker's and every service's dead letters; an alert on it needs no one to ask.
 */
public final class DeadLetterBacklog {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterBacklog.class);

  private final MysqlWork mysql;
  private final DeadLetterLog deadLetters;
  private final WorkerMetrics metrics;

  public DeadLetterBacklog(MysqlWork mysql, DeadLetterLog deadLetters, WorkerMetrics metrics) {
    this.mysql = mysql;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  public void every(Vertx vertx, int seconds) {
    refresh();
    vertx.setPeriodic(seconds * 1000L, id -> refresh());
  }

  public void refresh() {
    mysql.run(deadLetters::unreplayed)
        .onSuccess(metrics::unreplayedDeadLetters)
        .onFailure(e -> log.debug("unreplayed dead letters not counted: {}", e.toString()));
  }
}
