package io.seckill.load.faults;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The stack {@code ./seckill up} runs: every part is signalled by the PID the script recorded and
 * brought back by {@code ./seckill up}, which starts exactly the parts that are missing.
 */
final class ScriptedStack extends ScriptStack {

  private static final Duration UP_DEADLINE = Duration.ofMinutes(5);

  private final LocalStack local;

  ScriptedStack(SeckillScript script, LocalStack local) {
    super(script);
    this.local = local;
  }

  /** Fails unless every part runs as {@code ./seckill} started it. */
  static ScriptedStack requireRunning() {
    SeckillScript script = SeckillScript.fromEnv();
    for (Part part : Part.values()) {
      script.requirePid(part);
    }
    return new ScriptedStack(script, LocalStack.fromEnv());
  }

  @Override
  public String gatewayUrl() {
    return local.gatewayUrl();
  }

  @Override
  public LocalStack local() {
    return local;
  }

  @Override
  public long signal(Part part, String signal) {
    return signalScripted(part, signal);
  }

  @Override
  public boolean stop(Part part, Duration grace) {
    return stopScripted(part, grace);
  }

  @Override
  public boolean running(Part part) {
    return script.running(part);
  }

  @Override
  public void start(Part part) {
    up(Map.of());
    if (!script.running(part)) {
      throw new IllegalStateException("./seckill up returned but " + part + " does not run");
    }
  }

  @Override
  public void restartService(Part service, Map<String, String> env) {
    if (script.running(service)) {
      stop(service, SERVICE_GRACE);
    }
    up(env);
  }

  /**
   * {@code ./seckill up}, again while it fails, for a bounded time. The local ports lie in the
   * kernel's ephemeral range: while a part is down, another process on the machine (a test's
   * service on a "free" port) can hold its port for a while, and the restart fails with "Address
   * already in use" until it lets go.
   */
  private void up(Map<String, String> env) {
    Instant deadline = Instant.now().plus(UP_DEADLINE);
    while (true) {
      try {
        script.up(List.of(), env, UP_DEADLINE);
        return;
      } catch (IllegalStateException failed) {
        if (Instant.now().isAfter(deadline)) {
          throw failed;
        }
        System.out.println("[faults] ./seckill up failed, trying again once the stack's ports are free: "
            + failed.getMessage().lines().findFirst().orElse(""));
        Poll.until(Duration.ofSeconds(20), this::portsOfStoppedPartsFree, Boolean.TRUE::equals);
      }
    }
  }

  /** True when no port of a part that is not running is held by anything else. */
  private boolean portsOfStoppedPartsFree() {
    for (Part part : Part.values()) {
      if (!script.running(part)) {
        for (int port : ports(part)) {
          if (listening(port)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private List<Integer> ports(Part part) {
    return switch (part) {
      case REDIS -> List.of(local.redisPort());
      case MARIADB -> List.of(local.mysqlPort());
      case BROKER -> List.of(envPort("SECKILL_BROKER_PORT", 10911));
      case STOCK -> List.of(envPort("SECKILL_STOCK_PORT", 8081), envPort("SECKILL_STOCK_MANAGEMENT_PORT", 9081));
      case ORDER -> List.of(envPort("SECKILL_ORDER_PORT", 8082), envPort("SECKILL_ORDER_MANAGEMENT_PORT", 9082));
      case GATEWAY -> List.of(envPort("SECKILL_GATEWAY_PORT", 8080), envPort("SECKILL_GATEWAY_MANAGEMENT_PORT", 9080));
    };
  }

  private static int envPort(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  @Override
  public void close() {
    // the stack belongs to ./seckill: `./seckill faults` stops it if it started it
  }
}
