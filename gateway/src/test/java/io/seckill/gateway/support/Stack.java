package io.seckill.gateway.support;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;

import java.util.HashMap;
import java.util.Map;

/**
 * The whole engine as real child processes on free ports: stock-service, order-worker and a
 * gateway, against the Redis, MariaDB and RocketMQ that {@code ./seckill} runs.
 */
public final class Stack implements AutoCloseable {

  public final LocalStack local;
  public final ServiceProcess stock;
  public final ServiceProcess order;
  public final ServiceProcess gateway;
  public final Tokens tokens;

  private Stack(LocalStack local, ServiceProcess stock, ServiceProcess order, ServiceProcess gateway) {
    this.local = local;
    this.stock = stock;
    this.order = order;
    this.gateway = gateway;
    this.tokens = new Tokens(local.jwtSecret());
  }

  /** Starts all three; {@code gatewayEnv} adds to (or overrides) the gateway's environment. */
  public static Stack start(Map<String, String> gatewayEnv) {
    LocalStack local = LocalStack.fromEnv().requireInfra();
    int stockPort = ServiceProcess.freePort();
    int orderPort = ServiceProcess.freePort();
    ServiceProcess stock = null;
    ServiceProcess order = null;
    try {
      stock = startWithRetry("stock-service", stockPort, Map.of(
          "SECKILL_STOCK_PORT", Integer.toString(stockPort),
          "SECKILL_ORDER_URL", "http://127.0.0.1:" + orderPort));
      order = startWithRetry("order-worker", orderPort, Map.of(
          "SECKILL_ORDER_PORT", Integer.toString(orderPort),
          "SECKILL_STOCK_URL", stock.baseUrl()));
      ServiceProcess gateway = startGateway(local, stock.baseUrl(), order.baseUrl(), gatewayEnv);
      return new Stack(local, stock, order, gateway);
    } catch (RuntimeException | Error e) {
      if (order != null) {
        order.close();
      }
      if (stock != null) {
        stock.close();
      }
      throw e;
    }
  }

  /**
   * Starts a service the gateway depends on, trying up to three times: on this shared machine a
   * start can fail for reasons outside the gateway (the broker answering slower than the service's
   * start-up timeout, or the jar being rebuilt at that moment). The last failure is reported.
   */
  private static ServiceProcess startWithRetry(String module, int port, Map<String, String> env) {
    AssertionError last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return ServiceProcess.start(module, port, env);
      } catch (AssertionError e) {
        last = e;
        System.err.println(module + " start attempt " + attempt + " failed: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    throw last;
  }

  /** A gateway child process in front of the given services. */
  public static ServiceProcess startGateway(LocalStack local, String stockUrl, String orderUrl,
                                            Map<String, String> extraEnv) {
    int port = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_GATEWAY_PORT", Integer.toString(port));
    env.put("SECKILL_STOCK_URL", stockUrl);
    env.put("SECKILL_ORDER_URL", orderUrl);
    env.put("SECKILL_JWT_SECRET", local.jwtSecret());
    env.put("SECKILL_ENV", "local");
    env.put("SECKILL_EVENT_LOOPS", "2");
    env.putAll(extraEnv);
    return ServiceProcess.start("gateway", port, env);
  }

  public Api api() {
    return new Api(gateway);
  }

  @Override
  public void close() {
    gateway.close();
    order.close();
    stock.close();
  }
}
