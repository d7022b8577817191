package io.seckill.load.faults;

import java.time.Duration;
import java.time.Instant;

/**
 * A part hangs (SIGSTOP): its sockets stay open and connections are still accepted by the kernel,
 * but nothing answers, which is worse for a client than a refused connection. SIGCONT ends it.
 */
final class Hang implements Nemesis {

  private final Part part;
  private final Duration hung;
  private volatile boolean stopped;

  Hang(Part part, Duration hung) {
    this.part = part;
    this.hung = hung;
  }

  @Override
  public String describe() {
    return "SIGSTOP " + part + " for " + hung.toSeconds() + " s, then SIGCONT";
  }

  @Override
  public Window strike(Stack stack, Hold hold, PurchaseLoad load, Timeline timeline) {
    Instant start = Instant.now();
    stopped = true;
    long pid = stack.signal(part, "STOP");
    timeline.event("SIGSTOP " + part + " (pid " + pid + ")");
    try {
      hold.hold(hung);
    } finally {
      Instant end = Instant.now();
      stack.signal(part, "CONT");
      stopped = false;
      timeline.event("SIGCONT " + part + " after " + Duration.between(start, end).toSeconds() + " s");
    }
    Instant back = Instant.now();
    return new Window(start, back, back);
  }

  @Override
  public void restore(Stack stack) {
    if (stopped && stack.running(part)) {
      stack.signal(part, "CONT");
      stopped = false;
    }
  }
}
