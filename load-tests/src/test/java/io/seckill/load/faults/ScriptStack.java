package io.seckill.load.faults;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stack whose infrastructure (and, for {@link ScriptedStack}, everything) {@code ./seckill}
 * started: such a part is signalled by the PID the script recorded.
 */
abstract class ScriptStack implements Stack {

  protected final SeckillScript script;

  ScriptStack(SeckillScript script) {
    this.script = script;
  }

  /** Signals a part the script started by its recorded PID; after KILL, returns once it is gone. */
  protected long signalScripted(Part part, String signal) {
    long pid = script.signal(part, signal);
    if ("KILL".equals(signal) && !SeckillScript.awaitExit(pid, Duration.ofSeconds(30))) {
      throw new IllegalStateException(part + " (pid " + pid + ") still runs 30 s after SIGKILL");
    }
    return pid;
  }

  /** {@link Stack#stop} for a part the script started: TERM, up to {@code grace}, then KILL. */
  protected boolean stopScripted(Part part, Duration grace) {
    long pid = script.signal(part, "TERM");
    if (SeckillScript.awaitExit(pid, grace)) {
      return true;
    }
    signalScripted(part, "KILL");
    return false;
  }

  @Override
  public Path redisData() {
    return script.redisData();
  }
}
