package io.seckill.load;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;

import java.util.HashMap;
import java.util.Map;

/**
 * The three services as child processes on free ports, pointed at the local infrastructure:
 * what the smoke test needs, never the default ports 8080-8082 that a developer's stack uses.
 */
final class ServiceStack implements AutoCloseable {

  private final ServiceProcess orderWorker;
  private final ServiceProcess stockService;
  private final ServiceProcess gateway;

  private ServiceStack(ServiceProcess orderWorker, ServiceProcess stockService, ServiceProcess gateway) {
    this.orderWorker = orderWorker;
    this.stockService = stockService;
    this.gateway = gateway;
  }

  /** Starts order-worker (it migrates the schema), stock-service, then the gateway. */
  static ServiceStack start(LocalStack infra, Map<String, String> gatewayEnv) {
    int stockPort = ServiceProcess.freePort();
    int orderPort = ServiceProcess.freePort();
    int gatewayPort = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_ENV", "local");
    env.put("SECKILL_JWT_SECRET", infra.jwtSecret());
    env.put("SECKILL_STOCK_PORT", Integer.toString(stockPort));
    env.put("SECKILL_ORDER_PORT", Integer.toString(orderPort));
    env.put("SECKILL_GATEWAY_PORT", Integer.toString(gatewayPort));
    env.put("SECKILL_STOCK_URL", "http://127.0.0.1:" + stockPort);
    env.put("SECKILL_ORDER_URL", "http://127.0.0.1:" + orderPort);
    // every virtual user comes from 127.0.0.1: a per-IP limit would shed them all
    env.put("SECKILL_RATE_PER_IP", "0");
    env.putAll(gatewayEnv);
    ServiceProcess order = ServiceProcess.start("order-worker", orderPort, env);
    ServiceProcess stock = null;
    try {
      stock = ServiceProcess.start("stock-service", stockPort, env);
      return new ServiceStack(order, stock, ServiceProcess.start("gateway", gatewayPort, env));
    } catch (RuntimeException | Error e) {
      if (stock != null) {
        stock.kill();
      }
      order.kill();
      throw e;
    }
  }

  String gatewayUrl() {
    return gateway.baseUrl();
  }

  String stockUrl() {
    return stockService.baseUrl();
  }

  String orderUrl() {
    return orderWorker.baseUrl();
  }

  long gatewayPid() {
    return gateway.pid();
  }

  @Override
  public void close() {
    gateway.close();
    stockService.close();
    orderWorker.close();
  }
}
