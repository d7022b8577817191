package io.seckill.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bench scripts' way to start services, which is the tests' way ({@link LocalServices},
 * {@link ServiceProcess}) behind a command line: it starts them, writes where they listen to a file
 * the shell sources, and keeps them until it is told to stop (SIGTERM or SIGINT), when it stops
 * them gracefully.
 *
 * <pre>
 * LaunchServices OUT LOGS "JVM OPTIONS" WHAT [NAME=VALUE...]
 *   WHAT   stack: order-worker, stock-service and a gateway in front of them, as tests start them;
 *          or one module: stock-service or order-worker
 *   OUT    written once every service is ready, as shell assignments: for a stack GATEWAY_URL,
 *          STOCK_URL, ORDER_URL; for one module URL and MANAGEMENT_URL; always STARTED, the PIDs
 *   LOGS   the folder the services' logs go to
 *   NAME=VALUE  added to every service's environment
 * </pre>
 * A service that does not become ready ends the launcher with status 1 and its log on stderr,
 * and nothing it started is left running.
 */
public final class LaunchServices {

  private LaunchServices() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: LaunchServices OUT LOGS \"JVM OPTIONS\" stack|stock-service|order-worker [NAME=VALUE...]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    ServiceProcess.Jvm jvm = new ServiceProcess.Jvm(
        Arrays.stream(args[2].trim().split("\\s+")).filter(o -> !o.isEmpty()).toList(), Path.of(args[1]));
    String what = args[3];
    Map<String, String> env = settings(Arrays.copyOfRange(args, 4, args.length));

    List<AutoCloseable> started = new CopyOnWriteArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "stop-services"));
    Map<String, String> written = new java.util.LinkedHashMap<>();
    try {
      if (what.equals("stack")) {
        LocalServices services = LocalServices.start(env, jvm);
        started.add(services);
        written.put("GATEWAY_URL", services.gateway.baseUrl());
        written.put("STOCK_URL", services.stock.baseUrl());
        written.put("ORDER_URL", services.order.baseUrl());
        written.put("STARTED", services.gateway.pid() + " " + services.stock.pid() + " " + services.order.pid());
      } else {
        if (!what.equals("stock-service") && !what.equals("order-worker")) {
          throw new IllegalArgumentException("WHAT is stack, stock-service or order-worker, not " + what);
        }
        int port = ServiceProcess.freePort();
        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.put(ServiceProcess.portVariable(what), Integer.toString(port));
        ServiceProcess service = ServiceProcess.start(what, port, serviceEnv, jvm);
        started.add(service);
        written.put("URL", service.baseUrl());
        written.put("MANAGEMENT_URL", service.managementUrl());
        written.put("STARTED", Long.toString(service.pid()));
      }
    } catch (RuntimeException | Error e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
    write(out, written);
    new CountDownLatch(1).await(); // until a signal runs the shutdown hook
  }

  private static Map<String, String> settings(String[] pairs) {
    Map<String, String> env = new HashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a setting is NAME=VALUE, not " + pair);
      }
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return env;
  }

  /** Written whole or not at all: the shell waits for the file to appear, then sources it. */
  private static void write(Path out, Map<String, String> values) throws IOException {
    StringBuilder text = new StringBuilder();
    values.forEach((name, value) -> text.append(name).append("='").append(value).append("'\n"));
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void closeAll(List<AutoCloseable> started) {
    for (AutoCloseable services : started) {
      try {
        services.close();
      } catch (Exception e) {
        System.err.println("stopping: " + e);
      }
    }
  }
}
