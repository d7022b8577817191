package io.seckill.order;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.Topics;
import io.seckill.contracts.http.InternalAuth;
import io.seckill.contracts.http.ManagementServer;
import io.seckill.order.creation.GroupCommit;
import io.seckill.order.creation.OrderBatches;
import io.seckill.order.creation.OrderCreationConsumer;
import io.seckill.order.deadletter.DeadLetterBacklog;
import io.seckill.order.deadletter.DeadLetterLog;
import io.seckill.order.deadletter.DeadLetterRecorder;
import io.seckill.order.deadletter.DeadLetterReplays;
import io.seckill.order.deadletter.DeadLetterRoutes;
import io.seckill.order.health.HealthRoutes;
import io.seckill.order.messaging.DeadLetters;
import io.seckill.order.messaging.GroupProgress;
import io.seckill.order.messaging.ReleasePublisher;
import io.seckill.order.messaging.TopicConsumer;
import io.seckill.order.messaging.UnknownSales;
import io.seckill.order.order.OrderRoutes;
import io.seckill.order.order.Payments;
import io.seckill.order.sale.Reconciliation;
import io.seckill.order.sale.SaleLocks;
import io.seckill.order.sale.SaleRoutes;
import io.seckill.order.sale.SaleSnapshotRoutes;
import io.seckill.order.sale.Sales;
import io.seckill.order.timeout.Cancellations;
import io.seckill.order.timeout.LostTimerSweep;
import io.seckill.order.timeout.OrderTimeoutConsumer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The order-worker: migrates MySQL, starts the creation, timeout and dead-letter consumers, then
 * serves the internal HTTP API. Consumers start before the HTTP server so readiness means
 * "consuming". How it rides out faults: docs/order-worker-faults.md.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final int MAX_BODY_BYTES = 16 * 1024;

  private final OrderWorkerConfig config;
  private final PrometheusMeterRegistry registry;
  private final String instanceName = "order-worker-" + ProcessHandle.current().pid() + "-"
      + UUID.randomUUID().toString().substring(0, 8);
  private Database database;
  private DefaultMQProducer producer;
  private OrderCreationConsumer creations;
  private OrderTimeoutConsumer timeouts;
  private DeadLetterRecorder deadLetterRecorder;
  private Retrying retrying;
  private LostTimerSweep sweep;
  private WorkerMetrics metrics;
  private HttpServer server;
  private HttpServer management;
  private HealthRoutes health;
  private MysqlWork mysql;
  private volatile boolean consuming;

  public WorkerVerticle(OrderWorkerConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    metrics = new WorkerMetrics(registry);
    metrics.expectDeadLetters(List.of(config.rocketMq().createTopic(), config.rocketMq().timeoutTopic(),
        Topics.STOCK_RELEASE));
    return vertx.executeBlocking(this::startBackends).compose(v -> listen());
  }

  /** The actual port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  /** The management listener's actual port ({@code /metrics}, health). */
  public int managementPort() {
    return management.actualPort();
  }

  public WorkerMetrics metrics() {
    return metrics;
  }

  /** The creation, the timeout and the dead-letter consumer, in that order (empty before start). */
  public List<DefaultMQPushConsumer> consumers() {
    return topicConsumers().stream().map(TopicConsumer::pushConsumer).toList();
  }

  private List<TopicConsumer> topicConsumers() {
    return creations == null ? List.of()
        : List.of(creations.consumer(), timeouts.consumer(), deadLetterRecorder.consumer());
  }

  private Void startBackends() throws Exception {
    Clock clock = Clock.systemUTC();
    database = Database.open(config.mysql());
    producer = new DefaultMQProducer(Topics.ORDER_PRODUCER_GROUP);
    producer.setNamesrvAddr(config.rocketMq().namesrvAddr());
    producer.setInstanceName(instanceName);
    producer.setSendMsgTimeout(5_000);
    producer.start();
    DeadLetters deadLetters = new DeadLetters(producer, metrics);
    SaleLocks locks = new SaleLocks(64);
    UnknownSales unknownSales = new UnknownSales(clock);
    retrying = new Retrying(config.recovery(), metrics, database::awaitConnection);
    creations = new OrderCreationConsumer(config.rocketMq(), instanceName,
        new GroupCommit(new OrderBatches(database, clock, metrics), locks), deadLetters, unknownSales, retrying, metrics);
    timeouts = new OrderTimeoutConsumer(config.rocketMq(), instanceName, new Cancellations(database, clock, metrics, locks),
        new ReleasePublisher(producer, metrics), deadLetters, unknownSales, retrying, metrics);
    deadLetterRecorder = new DeadLetterRecorder(config.rocketMq(), instanceName, new DeadLetterLog(database), retrying,
        metrics, clock);
    for (TopicConsumer consumer : topicConsumers()) {
      consumer.start(retrying);
    }
    consuming = true;
    return null;
  }

  private Future<HttpServer> listen() {
    Clock clock = Clock.systemUTC();
    Sales sales = new Sales(database, clock);
    Reconciliation reconciliation = new Reconciliation(WebClient.create(vertx), config.stockUrl(), config.worker());
    mysql = new MysqlWork(vertx, config.mysql().poolSize());
    health = new HealthRoutes(() -> consuming).probe(vertx, mysql, database);
    Router router = Router.router(vertx);
    // credentials before the body is read: a caller without one costs no buffering and no query
    router.route("/internal/*").handler(new InternalAuth().allow(config.gateway()));
    router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    health.mount(router);
    new SaleRoutes(mysql, sales, reconciliation).mount(router);
    new SaleSnapshotRoutes(mysql, sales, new GroupProgress(creations.consumer())::backlog).mount(router);
    new OrderRoutes(mysql, new Payments(database, clock, metrics)).mount(router);
    DeadLetterLog deadLetters = new DeadLetterLog(database);
    DeadLetterBacklog backlog = new DeadLetterBacklog(mysql, deadLetters, metrics);
    new DeadLetterRoutes(mysql, deadLetters, new DeadLetterReplays(deadLetters, producer, config.rocketMq(), clock),
        backlog::refresh).mount(router);
    backlog.every(vertx, 15);
    router.errorHandler(404, ctx -> Replies.problem(ctx, ErrorCode.NOT_FOUND, "no route " + ctx.request().path()));
    router.errorHandler(405, ctx -> Replies.problem(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed"));
    router.errorHandler(413, ctx -> Replies.problem(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "body over " + MAX_BODY_BYTES + " bytes"));
    router.errorHandler(400, ctx -> Replies.problem(ctx, ErrorCode.BAD_REQUEST, "bad request"));
    router.errorHandler(500, this::unexpected);
    if (config.reconcileSeconds() > 0) {
      new ReconciliationSweep(vertx, mysql, sales, reconciliation, metrics).every(config.reconcileSeconds());
    }
    if (config.recovery().sweepSeconds() > 0) {
      sweep = new LostTimerSweep(database, producer, config.rocketMq().timeoutTopic(), retrying, metrics, clock,
          Duration.ofSeconds(config.recovery().sweepGraceSeconds()));
      sweep.every(vertx, config.recovery().sweepSeconds());
    }
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.bindHost())
        .onSuccess(s -> server = s)
        .compose(s -> ManagementServer.start(vertx, config.bindHost(), config.managementPort(), registry, health::ready))
        .onSuccess(m -> {
          management = m;
          log.info("order-worker {} listening on {}:{}, management port {}", instanceName, config.bindHost(),
              server.actualPort(), m.actualPort());
        })
        .map(m -> server);
  }

  private void unexpected(RoutingContext ctx) {
    log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    if (!ctx.response().ended()) {
      Replies.problem(ctx, ErrorCode.INTERNAL_ERROR, "unexpected error; see the order-worker log");
    }
  }

  /**
   * SIGTERM (Vert.x closing): readiness answers 503 at once; the HTTP server stops accepting and
   * finishes the requests in flight, while the consumers stop taking messages and finish the ones
   * they took. Both get the shutdown grace. Then the producer and the pool close, which that work
   * still needed.
   */
  @Override
  public Future<?> stop() {
    consuming = false;
    long grace = config.recovery().shutdownGraceMillis();
    log.info("order-worker {} stopping: finishing requests and messages in flight (up to {} ms)", instanceName, grace);
    Future<Void> http = server == null ? Future.succeededFuture() : server.shutdown(grace, TimeUnit.MILLISECONDS);
    Future<Void> messages = vertx.executeBlocking(() -> {
      new ConsumerDrain(topicConsumers(), retrying).run(grace);
      if (sweep != null) {
        // stopped with the retries: it ends after the send in hand, before the producer closes
        sweep.awaitIdle(2_000);
      }
      return null;
    }, false);
    return Future.join(http, messages).eventually(() -> vertx.executeBlocking(() -> {
      if (producer != null) {
        producer.shutdown();
      }
      if (database != null) {
        database.close();
      }
      return null;
    }, false));
  }
}
