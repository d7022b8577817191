package io.seckill.load.faults;

import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The processes {@code ./seckill} started, by the PIDs it recorded in {@code $SECKILL_HOME/pids},
 * and the script itself, which brings a missing part back on its own data ({@code ./seckill up}
 * restarts only what is not running). The suite signals nothing else: a PID is used only while
 * its PID file names it and {@code /proc/PID/cmdline} still shows the part's program.
 */
final class SeckillScript {

  private final Path root;
  private final Path home;

  private SeckillScript(Path root, Path home) {
    this.root = root;
    this.home = home;
  }

  /** The script of this repository, with {@code SECKILL_HOME} as the script itself resolves it. */
  static SeckillScript fromEnv() {
    Path root = ServiceProcess.repoRoot();
    String home = System.getenv("SECKILL_HOME");
    return new SeckillScript(root, home == null || home.isBlank() ? root.resolve(".seckill") : Path.of(home));
  }

  /** Where Redis keeps its append-only file. */
  Path redisData() {
    return home.resolve("data").resolve("redis");
  }

  /** The recorded PID of {@code part} if that process runs and is the part's program. */
  OptionalLong pid(Part part) {
    Path file = home.resolve("pids").resolve(part.label() + ".pid");
    try {
      if (!Files.isRegularFile(file)) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(Files.readString(file).trim());
      return part.runs(commandLine(pid)) ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | NumberFormatException noSuchProcess) {
      return OptionalLong.empty();
    }
  }

  long requirePid(Part part) {
    return pid(part).orElseThrow(() -> new IllegalStateException(part + " is not running as ./seckill started it (no live PID in "
        + home.resolve("pids").resolve(part.label() + ".pid") + "); start the stack with ./seckill up"));
  }

  boolean running(Part part) {
    return pid(part).isPresent();
  }

  /** Sends {@code signal} (KILL, TERM, STOP, CONT) to the part's recorded PID; returns that PID. */
  long signal(Part part, String signal) {
    long pid = requirePid(part);
    run(List.of("kill", "-" + signal, Long.toString(pid)), Map.of(), Duration.ofSeconds(10), null);
    return pid;
  }

  /** Waits until {@code pid} has exited; false when it still runs after {@code deadline}. */
  static boolean awaitExit(long pid, Duration deadline) {
    Boolean gone = Poll.until(deadline, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
        Boolean.TRUE::equals);
    return Boolean.TRUE.equals(gone);
  }

  /**
   * {@code ./seckill up ARGS}: starts every part that is not running, on the data it kept, and
   * returns once each is ready. {@code env} overrides this JVM's environment for that call (a
   * service pointed at a proxy's port). Output goes to {@code $SECKILL_HOME/logs/faults-up.log}.
   */
  void up(List<String> args, Map<String, String> env, Duration deadline) {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("seckill").toString(), "up"));
    command.addAll(args);
    run(command, env, deadline, home.resolve("logs").resolve("faults-up.log"));
  }

  private void run(List<String> command, Map<String, String> env, Duration deadline, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      if (log != null) {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "---- " + java.time.Instant.now() + " " + String.join(" ", command)
            + (env.isEmpty() ? "" : " with " + env) + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      } else {
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      Process process = builder.start();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + deadline + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + tail(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String commandLine(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
  }

  private static String tail(Path log) {
    if (log == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(log);
      return "; last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
