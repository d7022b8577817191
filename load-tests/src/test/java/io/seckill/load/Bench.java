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
import java.util.List;
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
 * <p>After the scripts: coldFirstCrowd (the first FlashCrowd after {@code ./seckill up}, against
 * the next one) and {@code bench.flashCrowdRuns} warm FlashCrowds, whose purchase p99s must stay
 * under 50 ms in all but one run.
 *
 * <p>Settings: {@code bench.gatewayPid} (default: {@code $SECKILL_HOME/pids/gateway.pid}),
 * {@code bench.scriptTimeoutSeconds} (900), {@code bench.flashCrowdRuns} (5),
 * {@code bench.coldP99Ms} (60000), and every FlashCrowd property.
 */
public final class Bench {

  /** One figure of the table: the bench script that measures it, its JSON key and its target ratio. */
  private record Path3(String title, String script, String key, double target) {
  }

  private static final List<Path3> PATHS = List.of(
      new Path3("sold-out purchase path", "sold-out-path.sh", "soldOutPath", 0.70),
      new Path3("sold-out, distinct users", "sold-out-crowd.sh", "soldOutCrowd", 0.70),
      new Path3("admitted reserve path", "reserve-path.sh", "reservePath", 0.50),
      new Path3("purchases end to end", "purchase-end-to-end.sh", "purchaseEndToEnd", 0.35),
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
        if (r.has("cpuPerPurchase")) {
          targetsMet &= cpuPerPurchase(r.path("cpuPerPurchase"), json, rows);
          ((ObjectNode) r).remove("cpuPerPurchase");
        }
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
    Crowd cold = coldCrowd(root);
    List<Crowd> warm = new ArrayList<>();
    int runs = Settings.integer("bench.flashCrowdRuns", 5);
    for (int i = 1; i <= runs; i++) {
      System.out.println("[bench] FlashCrowd " + i + " of " + runs);
      warm.add(crowd(root));
    }
    sampler.stopSampling();
    long peakMb = sampler.peakKb() / 1024;
    boolean crowdsPassed = cold.passed() && warm.stream().allMatch(Crowd::passed);

    double coldRatio = warm.isEmpty() || warm.get(0).p99Ms() <= 0 ? Double.NaN : (double) cold.p99Ms() / warm.get(0).p99Ms();
    ObjectNode coldJson = json.putObject("coldFirstCrowd");
    coldJson.put("coldP99Ms", cold.p99Ms());
    coldJson.put("warmP99Ms", warm.isEmpty() ? -1 : warm.get(0).p99Ms());
    coldJson.put("ratio", coldRatio);
    boolean coldMet = coldRatio <= COLD_TARGET;
    targetsMet &= coldMet;
    rows.add(String.format("| %-24s | %11d ms | %11d ms | %6.2f | %s |", "cold first FlashCrowd p99", cold.p99Ms(),
        warm.isEmpty() ? -1 : warm.get(0).p99Ms(), coldRatio, coldMet ? "meets <= " + COLD_TARGET : "ABOVE " + COLD_TARGET));

    var p99s = json.putArray("flashCrowdP99Ms");
    warm.forEach(c -> p99s.add(c.p99Ms()));
    long under = warm.stream().filter(c -> c.p99Ms() >= 0 && c.p99Ms() <= FLASH_P99_TARGET_MS).count();
    boolean flashMet = runs > 0 && under >= runs - 1;
    targetsMet &= flashMet;
    rows.add(String.format("| %-24s | %14s | %14s | %6s | %s |", "FlashCrowd p99 (ms)",
        warm.stream().map(c -> Long.toString(c.p99Ms())).reduce((a, b) -> a + "," + b).orElse("-"), "-", "-",
        under + " of " + runs + " <= " + FLASH_P99_TARGET_MS + " ms" + (flashMet ? "" : ": BELOW target (all but one)")));

    json.put("gatewayRssMb", peakMb);
    json.put("flashCrowdPassed", crowdsPassed);
    rows.add(String.format("| %-24s | %11d MB | %14s | %6s | %s |", "gateway peak RSS", peakMb, "-", "-",
        "over the FlashCrowds (pid " + pid + ", " + (crowdsPassed ? "every run passed" : "a run FAILED") + ")"));

    Path out = root.resolve("load-tests/results/bench.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    System.out.println();
    System.out.println("| path                     |         engine |       baseline |  ratio | target |");
    System.out.println("|--------------------------|----------------|----------------|--------|--------|");
    rows.forEach(System.out::println);
    System.out.println("written to " + out);
    System.exit(complete && targetsMet && crowdsPassed && peakMb > 0 ? 0 : 1);
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
   * CPU per admitted purchase, by process, in µs: at most half of the 270 µs issue 14 measured
   * (gateway 5.2, stock-service 4.0, broker 3.7, order-worker 2.0, MariaDB 1.1 CPU-seconds over
   * about 59,000 reservations).
   */
  private static final double CPU_PER_PURCHASE_TARGET_US = 135;

  private static boolean cpuPerPurchase(JsonNode cpu, ObjectNode json, List<String> rows) {
    json.set("cpuPerPurchase", cpu);
    double total = cpu.path("total").asDouble(Double.NaN);
    boolean met = total <= CPU_PER_PURCHASE_TARGET_US;
    StringBuilder parts = new StringBuilder();
    cpu.fields().forEachRemaining(f -> {
      if (!f.getKey().equals("total")) {
        parts.append(parts.isEmpty() ? "" : ", ").append(f.getKey()).append(' ').append(f.getValue().asText());
      }
    });
    rows.add(String.format("| %-24s | %11.0f µs | %14s | %6s | %s |", "CPU per purchase", total, "-", "-",
        (met ? "meets <= " : "ABOVE ") + CPU_PER_PURCHASE_TARGET_US + " µs (" + parts + ")"));
    return met;
  }

  /** The first FlashCrowd after a deploy may be at most this many times slower (p99) than a warm one. */
  private static final double COLD_TARGET = 3.0;
  /** The FlashCrowd p99 every run but one must stay under. */
  private static final long FLASH_P99_TARGET_MS = 50;

  /** One FlashCrowd: whether it passed (assertions and guarantees) and its purchase p99. */
  private record Crowd(boolean passed, long p99Ms) {
  }

  private static Crowd crowd(Path root) {
    SaleSimulation.LAST_PURCHASE_P99_MS.set(-1);
    GatlingRun.Outcome outcome = GatlingRun.run(FlashCrowd.class, root.resolve("load-tests/target/gatling"));
    long p99 = SaleSimulation.LAST_PURCHASE_P99_MS.get();
    System.out.println("[bench] FlashCrowd " + (outcome.passed() ? "passed" : "FAILED") + ", purchase p99 " + p99 + " ms");
    return new Crowd(outcome.passed(), p99);
  }

  /**
   * coldFirstCrowd: the first FlashCrowd on the stack {@code ./seckill up} just started, every JVM
   * cold, as when a sale opens minutes after a deploy. Its p99 bound is lifted for this run
   * ({@code bench.coldP99Ms}, 60 s), so a slow cold run still counts its guarantees; the bench
   * judges its p99 against the next run's. On fresh JVMs the spike once ran every path of five JVMs
   * through the JIT at once (purchase p99 2-5 s, against 23-69 ms on warm ones).
   */
  private static Crowd coldCrowd(Path root) {
    String bound = System.getProperty("p99Ms");
    System.setProperty("p99Ms", Integer.toString(Settings.integer("bench.coldP99Ms", 60_000)));
    try {
      System.out.println("[bench] the first FlashCrowd after ./seckill up (cold)");
      return crowd(root);
    } finally {
      if (bound == null) {
        System.clearProperty("p99Ms");
      } else {
        System.setProperty("p99Ms", bound);
      }
    }
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
