package io.seckill.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One of the project's services as a real child process, started from its module jar
 * ({@code <module>/target/<module>.jar}, built by the reactor before the module that tests it),
 * so a test can SIGKILL it mid-burst and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * How a service's JVM runs: its options, and the folder its log goes to. Tests use {@link #TEST}
   * (a small heap, so several stacks fit the machine); benches pass their own (a bigger heap and the
   * collector {@code ./seckill up} uses), so their figures are the service's, not the test setup's.
   */
  public record Jvm(List<String> options, Path logs) {
    public static final Jvm TEST = new Jvm(List.of("-Xmx256m", "-XX:+UseSerialGC"), Path.of("target"));
  }

  private final String module;
  private final int port;
  private final int managementPort;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;

  private ServiceProcess(String module, int port, int managementPort, Map<String, String> env,
                         List<String> jvmOptions, Path log) {
    this.module = module;
    this.port = port;
    this.managementPort = managementPort;
    this.env = env;
    this.jvmOptions = jvmOptions;
    this.log = log;
  }

  /**
   * Starts {@code module}'s jar with the given extra environment (on top of this JVM's, so the
   * SECKILL_* stack locations pass through) and waits until {@code /health/ready} answers 200.
   * Unless {@code extraEnv} names them, the service runs as a local run ({@code SECKILL_ENV=local},
   * development credentials) with its management listener on a free port ({@link #managementUrl()}).
   */
  public static ServiceProcess start(String module, int port, Map<String, String> extraEnv) {
    return start(module, port, extraEnv, Jvm.TEST);
  }

  /** {@link #start(String, int, Map)} in a JVM of the given options, logging into its folder. */
  public static ServiceProcess start(String module, int port, Map<String, String> extraEnv, Jvm jvm) {
    Path log = jvm.logs().resolve(module + "-" + port + "-" + System.nanoTime() + ".log");
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SECKILL_ENV", "local");
    int managementPort = freePort();
    env.put(managementPortVariable(module), Integer.toString(managementPort));
    env.putAll(extraEnv);
    ServiceProcess service = new ServiceProcess(module, port, Integer.parseInt(env.get(managementPortVariable(module))),
        env, jvm.options(), log);
    service.launch();
    return service;
  }

  /** The variable that sets {@code module}'s public port. */
  public static String portVariable(String module) {
    return switch (module) {
      case "gateway" -> "SECKILL_GATEWAY_PORT";
      case "stock-service" -> "SECKILL_STOCK_PORT";
      case "order-worker" -> "SECKILL_ORDER_PORT";
      default -> throw new IllegalArgumentException("no service module " + module);
    };
  }

  /** The variable that sets {@code module}'s management port. */
  public static String managementPortVariable(String module) {
    return switch (module) {
      case "gateway" -> "SECKILL_GATEWAY_MANAGEMENT_PORT";
      case "stock-service" -> "SECKILL_STOCK_MANAGEMENT_PORT";
      case "order-worker" -> "SECKILL_ORDER_MANAGEMENT_PORT";
      default -> throw new IllegalArgumentException("no service module " + module);
    };
  }

  /** The repository root: the nearest parent folder holding the {@code seckill} script. */
  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("seckill"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("cannot find the repository root (no ./seckill above " + Path.of("").toAbsolutePath() + ")");
    }
    return dir;
  }

  /** A free TCP port on loopback for a service the test starts. */
  public static int freePort() {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String module() {
    return module;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The management listener: {@code /metrics} and health, never the public port. */
  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** SIGKILL: no shutdown hook, no flush, exactly what a crash looks like. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then waits for a graceful exit; true when it exited in time. */
  public boolean stop(Duration grace) {
    process.destroy();
    return waitForExit(grace);
  }

  /** Starts the same service again, with the same port and environment. */
  public ServiceProcess restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
    return this;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      if (!stop(Duration.ofSeconds(15))) {
        kill();
      }
    }
  }

  private void launch() {
    Path jar = repoRoot().resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      fail(jar + " is missing: build it first (`mvn -DskipTests package`, or let the reactor build "
          + module + " before the module under test)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + module, e);
    }
    awaitReady(Duration.ofSeconds(60));
  }

  private void awaitReady(Duration deadline) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    Integer status = Poll.until(deadline, () -> {
      if (!process.isAlive()) {
        return -1;
      }
      try {
        return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException notListeningYet) {
        return 0;
      }
    }, s -> s == 200 || s == -1);
    if (status == null || status != 200) {
      String tail = tailOfLog();
      process.destroyForcibly();
      fail(module + " did not become ready on port " + port + " within " + deadline
          + " (last /health/ready: " + status + "). Log " + log.toAbsolutePath() + ":\n" + tail);
    }
  }

  private boolean waitForExit(Duration grace) {
    try {
      return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String tailOfLog() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n",
          lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
