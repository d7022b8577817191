package io.seckill.order.creation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seckill.contracts.OrderMessage;
import io.seckill.order.Database;
import io.seckill.order.MysqlConfig;
import io.seckill.order.RecoveryConfig;
import io.seckill.order.Retrying;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.testkit.LocalStack;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderBatchesIT {

  @Test
  @DisplayName("Writers that share no lock race on the sale's version: conflicts happen, are retried, and the stock stays exact")
  void versionConflictsAreResolved() throws Exception {
    LocalStack.fromEnv().requireMysql();
    String saleId = Sales.uniqueSaleId("race");
    List<OrderMessage> orders = Sales.orders(saleId, 1_200, Duration.ofMinutes(10));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WorkerMetrics metrics = new WorkerMetrics(registry);
    try (Database database = Database.open(MysqlConfig.fromEnv(System.getenv()))) {
      Mysql.insertSale(saleId, 5_000);
      int writers = 6;
      CyclicBarrier start = new CyclicBarrier(writers);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        // no lock shared: as if each were a separate worker process, whose consumer retries a
        // batch that stayed contended after a pause
        OrderBatches batches = new OrderBatches(database, java.time.Clock.systemUTC(), metrics);
        Retrying retrying = new Retrying(new RecoveryConfig(1, 20, 0, 0, 0), metrics, database::awaitConnection);
        int from = w;
        done.add(pool.submit(() -> {
          start.await();
          // overlapping slices: every order is offered by two writers
          for (int i = 0; i < orders.size(); i += 20) {
            List<OrderMessage> slice = orders.subList(i, Math.min(orders.size(), i + 20));
            if ((i / 20) % 3 == from % 3) {
              retrying.untilCommitted("persist-orders", () -> batches.persist(saleId, slice));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
    }
    assertEquals(1_200, Mysql.orders(saleId));
    assertEquals(5_000 - Sales.units(orders), Mysql.available(saleId));
    assertTrue(metrics.versionConflicts() > 0, "the writers really raced");
    System.out.printf("version conflicts resolved: %.0f%n", metrics.versionConflicts());
  }

  @Test
  @DisplayName("A batch that repeats persisted orders (a redelivery) inserts only the new ones and takes stock for them alone")
  void redeliveredOrdersAreDuplicates() throws Exception {
    LocalStack.fromEnv().requireMysql();
    String saleId = Sales.uniqueSaleId("redeliver");
    List<OrderMessage> orders = Sales.orders(saleId, 50, Duration.ofMinutes(10));
    try (Database database = Database.open(MysqlConfig.fromEnv(System.getenv()))) {
      Mysql.insertSale(saleId, 100);
      OrderBatches batches = new OrderBatches(database, java.time.Clock.systemUTC(),
          new WorkerMetrics(new SimpleMeterRegistry()));
      batches.persist(saleId, orders.subList(0, 30));
      // 10 already persisted, 20 new: the first insert fails on the key and is rolled back whole
      Map<String, BatchOutcome> second = batches.persist(saleId, orders.subList(20, 50));
      assertEquals(new BatchOutcome.Persisted(20, 10), second.get(orders.get(49).orderId()));
      Map<String, BatchOutcome> again = batches.persist(saleId, orders);
      assertEquals(new BatchOutcome.Persisted(0, 50), again.get(orders.get(0).orderId()));
    }
    assertEquals(50, Mysql.orders(saleId));
    assertEquals(100 - Sales.units(orders), Mysql.available(saleId));
  }
}
