package io.seckill.load.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What happened in one scenario and when, relative to its start: printed as it happens, kept for the report. */
final class Timeline {

  private final String scenario;
  private final Instant start = Instant.now();
  private final List<String> events = new ArrayList<>();

  Timeline(String scenario) {
    this.scenario = scenario;
  }

  synchronized void event(String what) {
    String line = String.format("+%6.1f s  %s", seconds(Instant.now()), what);
    events.add(line);
    System.out.println("[faults] " + scenario + " " + line);
  }

  double seconds(Instant at) {
    return Duration.between(start, at).toMillis() / 1000.0;
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }
}
