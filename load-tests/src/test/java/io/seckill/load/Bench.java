package io.seckill.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seckill.testkit.ServiceProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./seckill bench}: every engine figure next to its baseline, measured in one run on this
 * machine. The path benchmarks are the scripts in {@code load-tests/bench/} (each prints
 * {@code RESULT {"engine","baseline","ratio"}} as its last line); the gateway's peak RSS is
 * sampled from {@code /proc} while a FlashCrowd runs against it. Writes
 * {@code load-tests/results/bench.json}; exits 1 when a figure could not be measured or a path's
 * ratio is below its target (the table says which), after measuring every figure. The scripts
 * start their own services on the bare infrastructure; FlashCrowd runs on the stack, started here.
 *
 * <p>Settings: {@code bench.gatewayPid} (default: {@code $SECKILL_HOME/pids/gateway.pid}),
 * {@code bench.scriptTimeoutSeconds} (900), {@code bench.warmUpUsers} (20000), and every
 * FlashCrowd property.
 */
public final class Bench {

  /** One figure of the table: the bench script that measures it, its JSON key and its target ratio. */
  private record Path3(String title, String script, String key, double target) {
  }

  private static final List<Path3> PATHS = List.of(
      new Path3("sold-out purchase path", "sold-out-path.sh", "soldOutPath", 0.70),
      new Path3("sold-out, distinct users", "sold-out-crowd.sh", "soldOutCrowd", 0.70),
      new Path3("admitted reserve path", "reserve-path.sh", "reservePath", 0.50),
      new Path3("persistence", "persistence.sh", "persistence", 0.30));

  public static void main(String[] args) throws Exception {
    Path root = ServiceProcess.repoRoot();
    ObjectNode json = GatewayClient.JSON.createObjectNode();
    List<String> rows = new ArrayList<>();
    boolean complete = true;
    boolean targetsMet = true;
    for (Path3 path : PATHS) {
      Optional<JsonNode> result = runScript(root.resolve("load-tests/bench").resolve(path.script()));
      if (result.isPresent()) {
        JsonNode r = result.get();
        json.set(path.key(), r);
        double ratio = r.path("ratio").asDouble();
        targetsMet &= ratio >= path.target();
        rows.add(String.format("| %-24s | %14s | %14s | %6.2f | %s |", path.title(), r.path("engine").asText(),
            r.path("baseline").asText(), ratio, ratio >= path.target() ? "meets >= " + path.target() : "BELOW " + path.target()));
      } else {
        json.putNull(path.key());
        rows.add(String.format("| %-24s | %14s | %14s | %6s | %s |", path.title(), "-", "-", "-", "not measured"));
        complete = false;
      }
    }

    startStack(root);
    long pid = gatewayPid(root);
    RssSampler sampler = new RssSampler(pid);
    sampler.start();
    warmUpRun(root);
    GatlingRun.Outcome flash = GatlingRun.run(FlashCrowd.class, root.resolve("load-tests/target/gatling"));
    sampler.stopSampling();
    long peakMb = sampler.peakKb() / 1024;
    json.put("gatewayRssMb", peakMb);
    json.put("flashCrowdPassed", flash.passed());
    rows.add(String.format("| %-24s | %11d MB | %14s | %6s | %s |", "gateway peak RSS", peakMb, "-", "-",
        "under FlashCrowd (pid " + pid + ", " + (flash.passed() ? "run passed" : "run FAILED") + ")"));

    Path out = root.resolve("load-tests/results/bench.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    System.out.println();
    System.out.println("| path                     |         engine |       baseline |  ratio | target |");
    System.out.println("|--------------------------|----------------|----------------|--------|--------|");
    rows.forEach(System.out::println);
    System.out.println("written to " + out);
    System.exit(complete && targetsMet && flash.passed() && peakMb > 0 ? 0 : 1);
  }

  /** {@code ./seckill up}: the path benchmarks ran on the bare infrastructure; FlashCrowd needs the services. */
  private static void startStack(Path root) throws Exception {
    System.out.println("[bench] starting the stack's services for FlashCrowd");
    Process up = new ProcessBuilder("./seckill", "up").directory(root.toFile()).inheritIO().start();
    if (!up.waitFor(300, TimeUnit.SECONDS) || up.exitValue() != 0) {
      up.destroyForcibly();
      throw new IllegalStateException("./seckill up failed: FlashCrowd cannot run");
    }
  }

  /**
   * An unmeasured FlashCrowd ({@code bench.warmUpUsers}, default 20,000, the measured crowd's size;
   * 0 = none) on the freshly started stack before the measured one. A real sale opens on services
   * that have served. On fresh JVMs the measured spike ran every path of five JVMs through the JIT
   * at once (purchase p99 2-5 s). After a 5,000-buyer crowd the JIT was still busy: C2 had taken
   * 8-12 CPU-seconds in each of the gateway, stock-service, order-worker and broker, and the next
   * crowd's p99 was 69 ms, against 23 ms for the crowd after it. Its RSS counts in the peak.
   */
  private static void warmUpRun(Path root) {
    int users = Settings.integer("bench.warmUpUsers", 20_000);
    if (users <= 0) {
      return;
    }
    Map<String, String> warmUp = Map.of("users", Integer.toString(users), "stock", "200",
        "paymentWindowSeconds", "5", "settleSeconds", "60");
    Map<String, String> saved = new HashMap<>();
    warmUp.forEach((k, v) -> {
      String old = System.getProperty(k);
      if (old != null) {
        saved.put(k, old);
      }
      System.setProperty(k, v);
    });
    System.out.println("[bench] warm-up run: FlashCrowd with " + users + " buyers (not measured)");
    GatlingRun.Outcome outcome = GatlingRun.run(FlashCrowd.class, root.resolve("load-tests/target/gatling"));
    System.out.println("[bench] warm-up run " + (outcome.passed() ? "passed" : "FAILED (the measured run follows anyway)"));
    warmUp.keySet().forEach(k -> {
      if (saved.containsKey(k)) {
        System.setProperty(k, saved.get(k));
      } else {
        System.clearProperty(k);
      }
    });
  }

  /** Runs one bench script; its last {@code RESULT} line. */
  private static Optional<JsonNode> runScript(Path script) throws Exception {
    if (!Files.isRegularFile(script)) {
      System.out.println("[bench] " + script + " is missing: figure not measured");
      return Optional.empty();
    }
    System.out.println("[bench] running " + script);
    Process process = new ProcessBuilder("bash", script.toString())
        .directory(ServiceProcess.repoRoot().toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println("  " + line);
        if (!line.isBlank()) {
          last = line;
        }
      }
    }
    if (!process.waitFor(Settings.integer("bench.scriptTimeoutSeconds", 900), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      System.out.println("[bench] " + script + " timed out");
      return Optional.empty();
    }
    if (process.exitValue() != 0 || last == null || !last.startsWith("RESULT ")) {
      System.out.println("[bench] " + script + " exited " + process.exitValue() + " without a RESULT line last");
      return Optional.empty();
    }
    return Optional.of(GatewayClient.JSON.readTree(last.substring("RESULT ".length())));
  }

  private static long gatewayPid(Path root) throws IOException {
    String explicit = System.getProperty("bench.gatewayPid");
    if (explicit != null) {
      return Long.parseLong(explicit.trim());
    }
    String home = Optional.ofNullable(System.getenv("SECKILL_HOME")).orElse(root.resolve(".seckill").toString());
    Path pidFile = Path.of(home, "pids", "gateway.pid");
    if (!Files.exists(pidFile)) {
      throw new IllegalStateException("no gateway pid file at " + pidFile + ": start the stack (./seckill up) or pass -Dbench.gatewayPid");
    }
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  /** Polls {@code VmRSS} of a process every 50 ms and keeps the largest value seen. */
  private static final class RssSampler extends Thread {
    private final Path status;
    private volatile boolean running = true;
    private volatile long peakKb;

    RssSampler(long pid) {
      super("gateway-rss-sampler");
      setDaemon(true);
      this.status = Path.of("/proc", Long.toString(pid), "status");
    }

    @Override
    public void run() {
      while (running) {
        peakKb = Math.max(peakKb, read("VmRSS:"));
        try {
          Thread.sleep(50); // the sampling period, not a synchronisation
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stopSampling() throws InterruptedException {
      running = false;
      join();
      peakKb = Math.max(peakKb, read("VmRSS:"));
    }

    long peakKb() {
      return peakKb;
    }

    private long read(String field) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith(field)) {
            return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
          }
        }
      } catch (IOException | NumberFormatException gone) {
        return 0;
      }
      return 0;
    }
  }
}
