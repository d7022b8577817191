package io.seckill.stock.support;

import io.seckill.testkit.ServiceProcess;

import java.util.HashMap;
import java.util.Map;

/** Starts the stock-service jar on a free port. */
public final class StockProcess {

  private StockProcess() {
  }

  public static ServiceProcess start(Map<String, String> extraEnv) {
    int port = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("SECKILL_STOCK_PORT", Integer.toString(port));
    return ServiceProcess.start("stock-service", port, env);
  }
}
