package io.seckill.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * The one way tests, load tests and benches start the three services (benches through
 * {@link LaunchServices}): real child processes from
 * the module jars, on free ports, against the Redis, MariaDB and RocketMQ that {@code ./seckill}
 * runs, in the order the engine needs: order-worker first (it migrates the schema), then
 * stock-service, then the gateway in front of both.
 */
public final class LocalServices implements AutoCloseable {

  public final LocalStack local;
  public final ServiceProcess order;
  public final ServiceProcess stock;
  public final ServiceProcess gateway;

  private LocalServices(LocalStack local, ServiceProcess order, ServiceProcess stock, ServiceProcess gateway) {
    this.local = local;
    this.order = order;
    this.stock = stock;
    this.gateway = gateway;
  }

  /**
   * Starts all three; {@code serviceEnv} adds to (or overrides) every service's environment, so a
   * setting such as {@code SECKILL_RATE_PER_IP} reaches the one that reads it. A service that
   * does not become ready fails the caller with its log; nothing started is left running.
   */
  public static LocalServices start(Map<String, String> serviceEnv) {
    return start(serviceEnv, ServiceProcess.Jvm.TEST);
  }

  /** {@link #start(Map)} with the services' JVMs run as {@code jvm} says. */
  public static LocalServices start(Map<String, String> serviceEnv, ServiceProcess.Jvm jvm) {
    LocalStack local = LocalStack.fromEnv().requireInfra();
    int orderPort = ServiceProcess.freePort();
    int stockPort = ServiceProcess.freePort();
    Map<String, String> orderEnv = new HashMap<>(serviceEnv);
    orderEnv.put(ServiceProcess.portVariable("order-worker"), Integer.toString(orderPort));
    orderEnv.put("SECKILL_STOCK_URL", "http://127.0.0.1:" + stockPort); // reconciliation reads its counters
    Map<String, String> stockEnv = new HashMap<>(serviceEnv);
    stockEnv.put(ServiceProcess.portVariable("stock-service"), Integer.toString(stockPort));
    ServiceProcess order = null;
    ServiceProcess stock = null;
    try {
      order = ServiceProcess.start("order-worker", orderPort, orderEnv, jvm);
      stock = ServiceProcess.start("stock-service", stockPort, stockEnv, jvm);
      ServiceProcess gateway = startGateway(local, stock.baseUrl(), order.baseUrl(), serviceEnv, jvm);
      return new LocalServices(local, order, stock, gateway);
    } catch (RuntimeException | Error e) {
      if (stock != null) {
        stock.kill();
      }
      if (order != null) {
        order.kill();
      }
      throw e;
    }
  }

  /** A gateway child process on a free port in front of the given services. */
  public static ServiceProcess startGateway(LocalStack local, String stockUrl, String orderUrl,
                                            Map<String, String> extraEnv) {
    return startGateway(local, stockUrl, orderUrl, extraEnv, ServiceProcess.Jvm.TEST);
  }

  private static ServiceProcess startGateway(LocalStack local, String stockUrl, String orderUrl,
                                             Map<String, String> extraEnv, ServiceProcess.Jvm jvm) {
    int port = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put(ServiceProcess.portVariable("gateway"), Integer.toString(port));
    env.put("SECKILL_STOCK_URL", stockUrl);
    env.put("SECKILL_ORDER_URL", orderUrl);
    env.put("SECKILL_JWT_SECRET", local.jwtSecret());
    env.put("SECKILL_EVENT_LOOPS", "2");
    env.putAll(extraEnv);
    return ServiceProcess.start("gateway", port, env, jvm);
  }

  /** Stops the gateway first (no new work), then the services behind it. */
  @Override
  public void close() {
    gateway.close();
    stock.close();
    order.close();
  }
}
