package io.seckill.stock.sale;

import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running stock-service retires an ended, settled sale after its retention period: its keys go,
 * a tombstone stays for the retention, the sale leaves the set the outbox loop walks, and a sale
 * still open is left alone (the script test covers one inside its retention).
 */
class SaleRetirementIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final Pattern RETIRED = Pattern.compile("(?m)^seckill_sales_retired_total\\S*\\s+([0-9.]+)");

  @Test
  @DisplayName("An ended sale whose reservations were published is retired after its retention; an open one is kept")
  void retiresEndedSettledSales() {
    STACK.requireInfra();
    String old = StockClient.uniqueSaleId("retire-it");
    String open = StockClient.uniqueSaleId("retire-it");
    int port = ServiceProcess.freePort();
    try (RedisProbe redis = new RedisProbe(STACK);
         ServiceProcess service = ServiceProcess.start("stock-service", port, Map.of(
             "SECKILL_STOCK_PORT", Integer.toString(port),
             "SECKILL_SALE_RETENTION_SECONDS", "30"))) {
      try {
        StockClient client = new StockClient(service.baseUrl());
        for (String id : List.of(old, open)) {
          assertEquals(201, client.warm(StockClient.openSale(id, 10, 2, Duration.ofSeconds(1))).status());
          assertEquals(201, client.reserve(id, "alice", 1, null).status());
          assertEquals(201, client.reserve(id, "bob", 1, "bob-key").status());
          Poll.await(Duration.ofSeconds(60), "sale " + id + "'s reservations are published",
              () -> redis.outboxLength(id) == 0);
        }
        // Time passing as the scripts see it: the old sale ended two minutes ago (past endsAt +
        // 1 s payment window + 30 s retention); the other one is still open.
        RedisProbe.await(redis.api().hset(List.of(new SaleKeys(old).sale(), "endsAt",
            Long.toString(System.currentTimeMillis() - 120_000))));

        SaleKeys oldKeys = new SaleKeys(old);
        Poll.await(Duration.ofSeconds(60), "the old sale leaves the set of sales",
            () -> RedisProbe.await(redis.api().sismember(SaleKeys.SALES, old)).toInteger() == 0);
        assertEquals(0, RedisProbe.await(redis.api().exists(oldKeys.all().subList(0, 5))).toInteger(),
            "every key of the old sale is gone");
        assertEquals(1, RedisProbe.await(redis.api().exists(List.of(oldKeys.retired()))).toInteger(),
            "its tombstone stays for the retention period");
        assertEquals(404, client.get("/internal/sales/" + old).status(), "stock-service no longer knows it");
        Answer keyed = client.get("/internal/sales/" + old + "/keyed-reservations");
        assertEquals(0, keyed.body().getJsonArray("reservations").size(), "nothing left to replay from");

        assertEquals(1, RedisProbe.await(redis.api().sismember(SaleKeys.SALES, open)).toInteger(),
            "the open sale is still in the set");
        assertEquals(200, client.get("/internal/sales/" + open).status(), "and in Redis");
        Matcher retired = RETIRED.matcher(client.metrics(service.managementUrl()));
        assertTrue(retired.find() && Double.parseDouble(retired.group(1)) >= 1, "the retirement is counted");
      } finally {
        redis.deleteSale(old);
        redis.deleteSale(open);
      }
    }
  }
}
