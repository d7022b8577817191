package io.seckill.load.faults;

import io.seckill.testkit.LocalServices;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stack of {@code ./seckill test}: Redis, MariaDB and the broker as {@code ./seckill up --infra}
 * started them (signalled by their recorded PIDs, brought back by {@code ./seckill up --infra} on
 * the same data directories and configuration), and the three services as the test's own child
 * processes on free ports.
 */
final class TestServicesStack extends ScriptStack {

  private static final Duration UP_DEADLINE = Duration.ofMinutes(4);

  private final LocalServices services;

  TestServicesStack(SeckillScript script, LocalServices services) {
    super(script);
    this.services = services;
  }

  /** Starts the three services against the infrastructure {@code ./seckill} runs; fails unless that runs. */
  static TestServicesStack start(Map<String, String> serviceEnv) {
    SeckillScript script = SeckillScript.fromEnv();
    for (Part part : List.of(Part.REDIS, Part.MARIADB, Part.BROKER)) {
      script.requirePid(part);
    }
    return new TestServicesStack(script, LocalServices.start(serviceEnv));
  }

  @Override
  public String gatewayUrl() {
    return services.gateway.baseUrl();
  }

  @Override
  public LocalStack local() {
    return services.local;
  }

  @Override
  public long signal(Part part, String signal) {
    if (!part.isService()) {
      return signalScripted(part, signal);
    }
    ServiceProcess process = process(part);
    long pid = process.pid();
    switch (signal) {
      case "KILL" -> process.kill();
      case "TERM" -> process.stop(SERVICE_GRACE);
      default -> throw new IllegalArgumentException("the suite does not send SIG" + signal + " to a service");
    }
    return pid;
  }

  @Override
  public boolean stop(Part part, Duration grace) {
    if (part.isService()) {
      ServiceProcess process = process(part);
      if (process.stop(grace)) {
        return true;
      }
      process.kill();
      return false;
    }
    return stopScripted(part, grace);
  }

  @Override
  public boolean running(Part part) {
    return part.isService() ? process(part).isAlive() : script.running(part);
  }

  @Override
  public void start(Part part) {
    if (part.isService()) {
      process(part).restart();
      return;
    }
    script.up(List.of("--infra"), Map.of(), UP_DEADLINE);
    if (!script.running(part)) {
      throw new IllegalStateException("./seckill up --infra returned but " + part + " does not run");
    }
  }

  @Override
  public void restartService(Part service, Map<String, String> env) {
    if (!env.isEmpty()) {
      throw new UnsupportedOperationException("the short form does not route services through a proxy");
    }
    ServiceProcess process = process(service);
    if (process.isAlive() && !process.stop(SERVICE_GRACE)) {
      process.kill();
    }
    process.restart();
  }

  @Override
  public void close() {
    services.close();
  }

  private ServiceProcess process(Part part) {
    return switch (part) {
      case GATEWAY -> services.gateway;
      case STOCK -> services.stock;
      case ORDER -> services.order;
      default -> throw new IllegalArgumentException(part + " is not a service");
    };
  }
}
