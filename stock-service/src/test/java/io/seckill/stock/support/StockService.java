package io.seckill.stock.support;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One stock-service jar for a test class ({@code @RegisterExtension static final StockService}),
 * on a free port against the local Redis and broker, with a client, a Redis probe and,
 * if asked for, a producer; every sale a test warms through it is deleted after that test.
 */
public final class StockService implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  public static final LocalStack STACK = LocalStack.fromEnv();

  private final String salePrefix;
  private final boolean withProducer;
  private final List<String> sales = new ArrayList<>();
  private ServiceProcess service;
  private StockClient client;
  private RedisProbe redis;
  private TestProducer producer;

  private StockService(String salePrefix, boolean withProducer) {
    this.salePrefix = salePrefix;
    this.withProducer = withProducer;
  }

  /** A service whose tests' sales are named {@code salePrefix-…}. */
  public static StockService forSales(String salePrefix) {
    return new StockService(salePrefix, false);
  }

  /** The same, plus a producer for the messages order-worker would send. */
  public static StockService forSalesWithProducer(String salePrefix) {
    return new StockService(salePrefix, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    STACK.requireInfra();
    service = StockProcess.start(Map.of());
    client = new StockClient(service.baseUrl());
    redis = new RedisProbe(STACK);
    if (withProducer) {
      producer = TestProducer.start(STACK, salePrefix + "-p");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    sales.forEach(redis::deleteSale);
    sales.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (producer != null) {
      producer.close();
    }
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Warms a sale open from a minute ago for an hour; returns its definition. */
  public JsonObject warmSale(int stock, int perUserLimit, Duration paymentWindow) {
    String id = StockClient.uniqueSaleId(salePrefix);
    sales.add(id);
    JsonObject sale = StockClient.openSale(id, stock, perUserLimit, paymentWindow);
    StockClient.Answer warmed = client.warm(sale);
    assertEquals(201, warmed.status(), String.valueOf(warmed.body()));
    return sale;
  }

  /** Deletes this sale after the test too (one the test warmed or wrote by other means). */
  public String track(String saleId) {
    sales.add(saleId);
    return saleId;
  }

  public ServiceProcess process() {
    return service;
  }

  public StockClient client() {
    return client;
  }

  public RedisProbe redis() {
    return redis;
  }

  public TestProducer producer() {
    return producer;
  }
}
