package io.seckill.load.faults;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.seckill.load.GatewayClient;
import io.seckill.load.Sale;
import io.seckill.testkit.Poll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A part dies (SIGKILL: no shutdown hook, no flush) and stays down for a while; then it is
 * started again on its own data, as an operator (or a supervisor) would. With {@code wipeRedis}
 * Redis comes back empty, and the operator's documented recovery ({@code POST
 * /admin/sales/{id}/restore}) rebuilds the sale from MySQL.
 */
final class Outage implements Nemesis {

  private final Part part;
  private final Duration down;
  private final boolean wipeRedis;
  private final int burst;

  /** {@code burst} buyers arrive at once right before the kill (0: the steady load only). */
  Outage(Part part, Duration down, boolean wipeRedis, int burst) {
    if (wipeRedis && part != Part.REDIS) {
      throw new IllegalArgumentException("only Redis is wiped");
    }
    this.part = part;
    this.down = down;
    this.wipeRedis = wipeRedis;
    this.burst = burst;
  }

  @Override
  public String describe() {
    return "SIGKILL " + part + (burst > 0 ? " during a burst of " + burst + " buyers" : "")
        + (wipeRedis ? ", its data deleted" : "") + ", down " + down.toSeconds() + " s, then restarted on "
        + (wipeRedis ? "an empty data directory, then POST /admin/sales/{id}/restore" : "its own data");
  }

  @Override
  public Window strike(Stack stack, Hold hold, PurchaseLoad load, Timeline timeline) {
    if (burst > 0) {
      load.burst(burst, timeline);
    }
    Instant start = Instant.now();
    int inFlight = load.inFlight();
    long pid = stack.signal(part, "KILL");
    timeline.event("SIGKILL " + part + " (pid " + pid + ") with " + inFlight + " purchases in flight; it is gone");
    if (wipeRedis) {
      wipe(stack.redisData());
      timeline.event("deleted Redis's data in " + stack.redisData());
    }
    hold.hold(down);
    Instant end = Instant.now();
    timeline.event("starting " + part + " again");
    stack.start(part);
    Instant back = Instant.now();
    timeline.event(part + " runs again (" + Duration.between(end, back).toSeconds() + " s to start)");
    return new Window(start, end, back);
  }

  @Override
  public Optional<String> recover(Sale sale, GatewayClient gateway, String adminToken, Timeline timeline) {
    if (!wipeRedis) {
      return Optional.empty();
    }
    // stock-service may still be reconnecting to the new Redis: a 5xx or no answer is retried, and
    // so is 409 CREATIONS_IN_FLIGHT (order-worker has not yet put every creation the broker holds
    // in MySQL); any other 4xx is the answer (404: no such route yet; 409: Redis holds the sale)
    GatewayClient.Answer answer = Poll.until(Duration.ofSeconds(60), () -> {
      try {
        return gateway.post("/admin/sales/" + sale.id() + "/restore", adminToken, "", Map.of());
      } catch (IllegalStateException noAnswer) {
        return new GatewayClient.Answer(0, MissingNode.getInstance(), null, 0);
      }
    }, a -> a.status() > 0 && a.status() < 500 && !"CREATIONS_IN_FLIGHT".equals(a.code()));
    timeline.event("operator's recovery: POST /admin/sales/" + sale.id() + "/restore answered "
        + answer.status() + " " + answer.body());
    return answer.status() / 100 == 2 ? Optional.empty()
        : Optional.of("POST /admin/sales/{id}/restore answered " + answer.status() + " " + answer.body());
  }

  @Override
  public void restore(Stack stack) {
    if (!stack.running(part)) {
      stack.start(part);
    }
  }

  /** Deletes what Redis persisted (its append-only files), keeping the directory. */
  private static void wipe(Path redisData) {
    if (!redisData.endsWith(Path.of("data", "redis"))) {
      throw new IllegalStateException("refusing to delete " + redisData + ": not a Redis data directory of ./seckill");
    }
    if (!Files.isDirectory(redisData)) {
      return;
    }
    try (Stream<Path> files = Files.walk(redisData)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(redisData)).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete " + redisData + ": " + e, e);
    }
  }
}
