package io.seckill.load.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A deploy: each service in turn gets SIGTERM mid-burst (it must drain what is in flight and
 * exit), then starts again and must be ready before the next one goes. One instance of each
 * service runs locally, so clients see the gap; what they must not see is a 5xx that a retry with
 * the same {@code Idempotency-Key} does not resolve, or a 202 that never becomes an order.
 */
final class RollingRestart implements Nemesis {

  private final List<Part> services;
  private final int burst;

  RollingRestart(List<Part> services, int burst) {
    this.services = services;
    this.burst = burst;
  }

  @Override
  public String describe() {
    return "SIGTERM, then start again, one service at a time (" + services + "), each during a burst of "
        + burst + " buyers";
  }

  @Override
  public Window strike(Stack stack, Hold hold, PurchaseLoad load, Timeline timeline) {
    Instant start = Instant.now();
    for (Part service : services) {
      load.burst(burst, timeline);
      Instant term = Instant.now();
      timeline.event("SIGTERM " + service + " with " + load.inFlight() + " purchases in flight");
      boolean graceful = stack.stop(service, Stack.SERVICE_GRACE);
      timeline.event(service + (graceful ? " exited by itself after " : " did not exit within its grace: SIGKILL after ")
          + Duration.between(term, Instant.now()).toSeconds() + " s; starting it again");
      stack.start(service);
      timeline.event(service + " ready again");
    }
    Instant back = Instant.now();
    return new Window(start, back, back);
  }

  @Override
  public void restore(Stack stack) {
    for (Part service : services) {
      if (!stack.running(service)) {
        stack.start(service);
      }
    }
  }
}
