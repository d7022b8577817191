package io.seckill.order.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seckill.contracts.OrderMessage;
import io.seckill.order.Database;
import io.seckill.order.MysqlConfig;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.testkit.ServiceProcess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run by {@code load-tests/bench/persistence.sh}: orders persisted per second by a real worker
 * process on a 10,000-message backlog, next to a raw batched JDBC insert of as many rows on the
 * same server. The last line is {@code RESULT {"engine":…,"baseline":…,"ratio":…}}.
 */
public final class PersistenceBench {

  private PersistenceBench() {
  }

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(System.getProperty("bench.orders", "10000"));
    int batch = Integer.parseInt(System.getProperty("bench.batch", "128"));
    // Messages ahead of the measured backlog, on the same sale and topic: they take the worker's
    // JIT warm-up, as the baseline's faster (second) run does, and a worker in service is warm.
    int warmUp = Integer.parseInt(System.getProperty("bench.warmup", "3000"));
    int total = warmUp + count;
    MysqlConfig mysql = MysqlConfig.fromEnv(System.getenv());
    try (Database ignored = Database.open(mysql)) {
      // the schema exists before the sale row is written
      new SimpleMeterRegistry().close();
    }
    // The baseline runs before and after the engine and the faster of the two counts: on a shared
    // machine the disk's speed drifts, and the higher baseline gives the more conservative ratio.
    double baselineBefore = baseline(count, batch);
    String saleId = Sales.uniqueSaleId("bench");
    Mysql.insertSale(saleId, total);
    List<OrderMessage> orders = Sales.orders(saleId, total, Duration.ofMinutes(10)).stream()
        .map(o -> new OrderMessage(o.orderId(), o.saleId(), o.userId(), 1, o.reservedAt(), o.expiresAt())).toList();
    double engine;
    // A consumer group of its own, starting at the current end of the topic: the backlog is this
    // run's messages only, and no other worker (another engineer's test) takes a share of it.
    // On a topic of its own (bench.topic, created by persistence.sh): on the shared topic the
    // running stack's order-worker took the whole backlog and this worker measured nothing.
    String topic = System.getProperty("bench.topic", "seckill-bench-order-create");
    String group = "bench-create-" + Long.toString(System.nanoTime(), 36);
    Broker.startGroupAtEnd(group, topic);
    try (Broker broker = new Broker()) {
      broker.publishCreates(topic, orders);
      System.out.printf("backlog: %d warm-up + %d measured creation messages published for sale %s%n", warmUp, count, saleId);
      int port = ServiceProcess.freePort();
      long launched = System.nanoTime();
      try (ServiceProcess worker = ServiceProcess.start("order-worker", port,
          Map.of("SECKILL_ORDER_PORT", String.valueOf(port), "SECKILL_ORDER_BATCH_SIZE", String.valueOf(batch),
              "SECKILL_ORDER_CREATE_GROUP", group, "SECKILL_ORDER_CREATE_TOPIC", topic))) {
        // Progress is what this worker applied (inserted, or found already there), read from its
        // own metrics: the backlog also reaches the default group, so another engineer's worker
        // running at the same time may insert part of it first; that share is reported.
        long firstSeen = 0;
        double firstApplied = 0;
        double applied = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (applied < total && System.nanoTime() < deadline) {
          String scrape = Sales.get(worker.managementUrl() + "/metrics").body();
          applied = metric(scrape, "seckill_orders_persisted_total") + metric(scrape, "seckill_order_duplicates_total");
          if (firstSeen == 0 && applied >= Math.max(1, warmUp)) {
            firstSeen = System.nanoTime();
            firstApplied = applied;
          }
          if (applied < total) {
            Thread.sleep(20); // the probe interval of this measurement
          }
        }
        long done = System.nanoTime();
        if (applied < total || Mysql.orders(saleId) != total) {
          throw new IllegalStateException("only " + applied + " of " + total + " messages applied in 5 minutes; "
              + Mysql.orders(saleId) + " orders in MySQL");
        }
        if (Mysql.available(saleId) != 0) {
          throw new IllegalStateException("stock not exact: available " + Mysql.available(saleId));
        }
        String metrics = Sales.get(worker.managementUrl() + "/metrics").body();
        long insertedHere = (long) metric(metrics, "seckill_orders_persisted_total");
        System.out.printf("worker: inserted %d itself (%d were inserted by other order-worker instances first),"
                + " mean batch %.1f orders over %d transactions, version conflicts %d%n",
            insertedHere, total - insertedHere,
            metric(metrics, "seckill_order_batch_size_sum") / metric(metrics, "seckill_order_batch_size_count"),
            (long) metric(metrics, "seckill_order_batch_size_count"), (long) metric(metrics, "seckill_version_conflicts_total"));
        if (insertedHere < total) {
          System.out.println("WARNING: other order-workers shared the backlog; rerun when none runs for a clean number");
        }
        engine = (total - firstApplied) / seconds(done - firstSeen);
        double fromLaunch = total / seconds(done - launched);
        System.out.printf("engine: %d orders in %.2f s after the %d warm-up messages = %.0f orders/s"
                + " (%.0f orders/s for all %d counting the JVM start, %.2f s)%n",
            (long) (total - firstApplied), seconds(done - firstSeen), warmUp, engine, fromLaunch, total, seconds(done - launched));
      }
    } finally {
      try (Connection c = Mysql.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM orders WHERE sale_id = '" + saleId + "'");
        s.executeUpdate("DELETE FROM sale WHERE id = '" + saleId + "'");
      }
    }
    double baselineAfter = baseline(count, batch);
    double baseline = Math.max(baselineBefore, baselineAfter);
    double ratio = engine / baseline;
    System.out.printf("baseline: raw batched JDBC insert of %d rows (batches of %d, one transaction each) ="
            + " %.0f rows/s before, %.0f rows/s after the engine; using %.0f%n",
        count, batch, baselineBefore, baselineAfter, baseline);
    System.out.printf("ratio engine/baseline = %.2f (target >= 0.30)%n", ratio);
    System.out.printf("RESULT {\"engine\":%.0f,\"baseline\":%.0f,\"ratio\":%.3f}%n", engine, baseline, ratio);
  }

  /** The same rows into an {@code orders}-shaped scratch table, as fast as plain JDBC goes. */
  private static double baseline(int count, int batch) throws Exception {
    String table = "bench_orders_" + Long.toString(System.nanoTime(), 36);
    List<OrderMessage> rows = Sales.orders("baseline", count, Duration.ofMinutes(10));
    try (Connection c = Mysql.connect()) {
      try (Statement ddl = c.createStatement()) {
        ddl.execute("CREATE TABLE " + table + " LIKE orders");
      }
      try {
        c.setAutoCommit(false);
        long start = System.nanoTime();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
            + " (id, sale_id, user_id, quantity, status, version, created_at, expires_at) VALUES (?, ?, ?, ?, 'AWAITING_PAYMENT', 0, ?, ?)")) {
          for (int i = 0; i < rows.size(); i++) {
            OrderMessage o = rows.get(i);
            insert.setString(1, o.orderId());
            insert.setString(2, o.saleId());
            insert.setString(3, o.userId());
            insert.setInt(4, o.quantity());
            insert.setTimestamp(5, new Timestamp(o.reservedAt()));
            insert.setTimestamp(6, new Timestamp(o.expiresAt()));
            insert.addBatch();
            if ((i + 1) % batch == 0 || i == rows.size() - 1) {
              insert.executeBatch();
              c.commit();
            }
          }
        }
        return count / seconds(System.nanoTime() - start);
      } finally {
        c.setAutoCommit(true);
        try (Statement ddl = c.createStatement()) {
          ddl.execute("DROP TABLE IF EXISTS " + table);
        }
      }
    }
  }

  /** Sum of every series of {@code name} in a Prometheus text scrape. */
  private static double metric(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
