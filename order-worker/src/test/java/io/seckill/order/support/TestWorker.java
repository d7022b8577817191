package io.seckill.order.support;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.order.OrderWorkerConfig;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.WorkerVerticle;
import io.seckill.order.messaging.ConsumerLag;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An order-worker running in the test JVM on a free port, with its own meter registry so a test
 * can read what this instance did. Unless told otherwise it consumes in consumer groups of its own
 * that start at the end of the topics: the shared broker may hold a backlog from other engineers'
 * runs (messages for sales only they know), which this test should neither wait behind nor drain.
 */
public final class TestWorker implements AutoCloseable {

  private final Vertx vertx;
  private final WorkerVerticle verticle;
  private final int port;

  private TestWorker(Vertx vertx, WorkerVerticle verticle, int port) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.port = port;
  }

  public static TestWorker start() {
    return start(Map.of());
  }

  public static TestWorker start(Map<String, String> extraEnv) {
    LocalStack.fromEnv().requireInfra();
    int port = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("SECKILL_ORDER_PORT", String.valueOf(port));
    env.put("SECKILL_ORDER_MANAGEMENT_PORT", "0");
    env.putIfAbsent("SECKILL_ENV", "local");
    env.put("SECKILL_ORDER_RECONCILE_SECONDS", "0");
    // the sweep would re-issue timers of every lapsed order other tests left: only its own test runs it
    env.put("SECKILL_ORDER_SWEEP_SECONDS", "0");
    if (!extraEnv.containsKey("SECKILL_ORDER_CREATE_GROUP")) {
      env.putAll(freshGroups());
    }
    env.putAll(extraEnv);
    OrderWorkerConfig config = OrderWorkerConfig.fromEnv(env);
    Vertx vertx = Vertx.vertx();
    WorkerVerticle verticle = new WorkerVerticle(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the in-process order-worker did not start", e);
    }
    TestWorker worker = new TestWorker(vertx, verticle, port);
    // A message published before a consumer's first rebalance waits for it (up to a rebalance
    // period when the first one finds nothing): tests start once every consumer owns queues.
    try {
      Poll.await(Duration.ofSeconds(60), "the worker's consumers own their queues",
          () -> verticle.consumers().stream().allMatch(c -> ConsumerLag.ownedQueues(c) > 0), worker::consumerState);
    } catch (AssertionError e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  /** What each consumer of this worker owns and where it stands, for a failure message. */
  public String consumerState() {
    return verticle.consumers().stream().map(ConsumerLag::describe).collect(Collectors.joining("; "))
        + "; timeouts applied " + verticle.metrics().registry().find("seckill_order_timeouts").counters().stream()
        .map(c -> c.getId().getTag("outcome") + "=" + (long) c.count()).toList();
  }

  /** Creation messages this worker has pulled and not yet acknowledged: queued, or in its listener now. */
  public long creationsInHand() {
    return ConsumerLag.pulledNotConsumed(verticle.consumers().get(0));
  }

  /**
   * Consumer groups that never ran, committed at the current end of the creation, timeout and
   * dead-letter topics; pass the same map to several workers to have them share the work.
   */
  public static Map<String, String> freshGroups() {
    String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
    String create = "it-create-" + suffix;
    String timeout = "it-timeout-" + suffix;
    String deadLetter = "it-dead-letter-" + suffix;
    try {
      Broker.startGroupAtEnd(create, io.seckill.contracts.Topics.ORDER_CREATE);
      Broker.startGroupAtEnd(timeout, io.seckill.contracts.Topics.ORDER_TIMEOUT);
      Broker.startGroupAtEnd(deadLetter, io.seckill.contracts.Topics.DEAD_LETTER);
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare consumer groups on the broker", e);
    }
    return Map.of("SECKILL_ORDER_CREATE_GROUP", create, "SECKILL_ORDER_TIMEOUT_GROUP", timeout,
        "SECKILL_ORDER_DEAD_LETTER_GROUP", deadLetter);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates a sale of {@code stock} units, payable within {@code window}, with a unique id; returns the id. */
  public String newSale(String prefix, int stock, Duration window) throws Exception {
    String saleId = Sales.uniqueSaleId(prefix);
    Sales.create(baseUrl(), saleId, stock, window);
    return saleId;
  }

  public WorkerMetrics metrics() {
    return verticle.metrics();
  }

  /** The count of the counter {@code name} with tag {@code key}={@code value} (0 before its first increment). */
  /** The sum of every counter {@code name} with tag {@code key=value} (several when other tags differ). */
  public double counter(String name, String key, String value) {
    return verticle.metrics().registry().find(name).tag(key, value).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  public double counter(String name) {
    var counter = verticle.metrics().registry().find(name).counters();
    return counter.stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the in-process order-worker did not stop", e);
    }
  }
}
