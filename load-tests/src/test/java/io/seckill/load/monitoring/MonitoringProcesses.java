package io.seckill.load.monitoring;

import io.seckill.testkit.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Prometheus and the Redis and MySQL exporters, started by {@code ./seckill monitoring} exactly as
 * {@code ./seckill up --monitoring} starts them (same configuration template, same rules), but on
 * free ports and under a home of their own, so they never meet a developer's monitoring. Stopped
 * by the same script, which kills by the PIDs it recorded.
 */
public final class MonitoringProcesses implements AutoCloseable {

  private static final Duration START = Duration.ofMinutes(3);

  private final Map<String, String> env;
  private final Path home;
  private final int prometheusPort;

  private MonitoringProcesses(Map<String, String> env, Path home, int prometheusPort) {
    this.env = env;
    this.home = home;
    this.prometheusPort = prometheusPort;
  }

  /**
   * Starts monitoring that scrapes the three services' /metrics on the given ports (their
   * management listeners), the broker's metrics port the script derives from
   * SECKILL_BROKER_PORT, and the Redis and MySQL of this JVM's SECKILL_* environment.
   */
  public static MonitoringProcesses start(Path home, int gatewayMetricsPort, int stockMetricsPort, int orderMetricsPort) {
    int prometheusPort = ServiceProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_HOME", home.toAbsolutePath().toString());
    env.put("SECKILL_PROMETHEUS_PORT", Integer.toString(prometheusPort));
    env.put("SECKILL_REDIS_EXPORTER_PORT", Integer.toString(ServiceProcess.freePort()));
    env.put("SECKILL_MYSQL_EXPORTER_PORT", Integer.toString(ServiceProcess.freePort()));
    env.put("SECKILL_GATEWAY_MANAGEMENT_PORT", Integer.toString(gatewayMetricsPort));
    env.put("SECKILL_STOCK_MANAGEMENT_PORT", Integer.toString(stockMetricsPort));
    env.put("SECKILL_ORDER_MANAGEMENT_PORT", Integer.toString(orderMetricsPort));
    MonitoringProcesses monitoring = new MonitoringProcesses(env, home, prometheusPort);
    int exit = monitoring.script("start", START);
    if (exit != 0) {
      monitoring.close();
      fail("./seckill monitoring start failed (exit " + exit + "):\n" + monitoring.tail("monitoring-start.log"));
    }
    return monitoring;
  }

  public Prometheus prometheus() {
    return new Prometheus("http://127.0.0.1:" + prometheusPort);
  }

  @Override
  public void close() {
    script("stop", Duration.ofMinutes(1));
  }

  private int script(String action, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(List.of(ServiceProcess.repoRoot().resolve("seckill").toString(), "monitoring", action));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(home);
      builder.redirectOutput(home.resolve("monitoring-" + action + ".log").toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("./seckill monitoring " + action + " did not finish within " + timeout + ":\n" + tail("monitoring-" + action + ".log"));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run ./seckill monitoring " + action, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String tail(String logName) {
    try {
      List<String> lines = Files.readAllLines(home.resolve(logName));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
