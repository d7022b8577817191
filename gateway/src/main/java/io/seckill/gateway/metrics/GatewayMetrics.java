package io.seckill.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The gateway's own meters, on top of Vert.x's HTTP metrics: answers by route and outcome code,
 * latency histograms by route, admissions and rejections by reason, and the sold-out flags.
 * Meters are looked up once and kept, so the hot path does not rebuild tag lists.
 */
public final class GatewayMetrics {

  private static final Duration[] SLOS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> latency = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> botDefense = new ConcurrentHashMap<>();
  private final Counter admissions;
  private final Counter replays;
  private final Counter connectionsRefused;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.admissions = Counter.builder("seckill_gateway_admissions")
        .description("purchases passed on to stock-service").register(registry);
    this.replays = Counter.builder("seckill_gateway_idempotent_replays")
        .description("purchases answered from this gateway's Idempotency-Key cache").register(registry);
    this.connectionsRefused = Counter.builder("seckill_gateway_connections_refused")
        .description("new connections closed at once: the public listener had SECKILL_MAX_CONNECTIONS open")
        .register(registry);
  }

  public void request(String route, String code, long nanos) {
    requests.computeIfAbsent(route + ' ' + code, k -> Counter.builder("seckill_gateway_requests")
        .description("answers by route and outcome code")
        .tag("route", route).tag("code", code).register(registry)).increment();
    latency.computeIfAbsent(route, k -> Timer.builder("seckill_gateway_request_latency")
        .description("time from request to answer, by route")
        .tag("route", route)
        // A fixed, short bucket list: the full percentile histogram is ~70 series per route.
        .serviceLevelObjectives(SLOS)
        .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void admitted() {
    admissions.increment();
  }

  public void replayed() {
    replays.increment();
  }

  /** The public listener's open connections (see {@code ConnectionCap}). */
  public void openConnections(Supplier<Number> open) {
    Gauge.builder("seckill_gateway_open_connections", open)
        .description("connections open on the public listener").register(registry);
  }

  /** A new connection closed at once because the listener had its maximum open. */
  public void connectionRefused() {
    connectionsRefused.increment();
  }

  /** A purchase answered "no" by the gateway itself; {@code reason} is a small fixed vocabulary. */
  public void rejected(String reason) {
    rejections.computeIfAbsent(reason, k -> Counter.builder("seckill_gateway_rejections")
        .description("purchases refused at the gateway, by reason")
        .tag("reason", reason).register(registry)).increment();
  }

  /**
   * A proof-of-work event: {@code challenge_issued}, {@code ticket_issued}, {@code solution_invalid},
   * {@code solution_used} (a fixed vocabulary).
   */
  public void botDefense(String event) {
    botDefense.computeIfAbsent(event, k -> Counter.builder("seckill_gateway_bot_defense")
        .description("proof-of-work challenges and tickets, by event")
        .tag("event", event).register(registry)).increment();
  }

  /** Publishes an upstream's circuit breaker: 1 open, 0.5 half-open, 0 closed. */
  public void circuit(String service, Supplier<Number> state) {
    Gauge.builder("seckill_gateway_upstream_circuit_open", state)
        .description("the gateway's circuit breaker to an internal service: 1 open (calls fail at once), 0.5 half-open, 0 closed")
        .tag("service", service).register(registry);
  }

  /** Publishes the number of sales currently flagged sold out. */
  public void soldOutFlags(Supplier<Number> count) {
    Gauge.builder("seckill_gateway_sold_out_flags", count).description("sales flagged sold out at the gateway")
        .register(registry);
  }

  /** Publishes one sale's flag (1 = sold out); the flag's owner removes the gauge when the sale is over. */
  public Meter soldOutFlag(String saleId, Supplier<Boolean> flagged) {
    return Gauge.builder("seckill_gateway_sold_out_flag", () -> flagged.get() ? 1 : 0)
        .description("1 while the sale is flagged sold out at the gateway")
        .tag("sale", saleId).register(registry);
  }

  /** Removes a meter a sale no longer needs (its sale is over), so series do not pile up. */
  public void remove(Meter meter) {
    registry.remove(meter);
  }
}
