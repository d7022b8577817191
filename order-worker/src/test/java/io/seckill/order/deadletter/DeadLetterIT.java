package io.seckill.order.deadletter;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.RunningWorker;
import io.seckill.order.support.Sales;
import io.seckill.testkit.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.seckill.testkit.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  @RegisterExtension
  static final RunningWorker RUNNING = RunningWorker.withBroker();

  @Test
  @DisplayName("Dead letters from the creation consumer and from stock-service are recorded, listed page by page, counted, and replayed once")
  void deadLettersAreRecordedListedAndReplayed() throws Exception {
    long before = lastId();
    String poisonKey = "poison-" + System.nanoTime();
    String ghostSale = Sales.uniqueSaleId("ghost");
    OrderMessage ghost = Sales.orders(ghostSale, 1, WINDOW).get(0);
    String realSale = RUNNING.worker().newSale("dl", 10, WINDOW);
    StockRelease release = new StockRelease(Sales.orderId(realSale), realSale, "user-1", 1, "TIMEOUT");

    RUNNING.broker().publishRaw(Topics.ORDER_CREATE, poisonKey, "{not json".getBytes(StandardCharsets.UTF_8));
    RUNNING.broker().publishCreates(List.of(ghost));
    // as stock-service's release consumer sends one: a free-text reason, no detail
    RUNNING.broker().publishRaw(Topics.DEAD_LETTER, release.orderId(), release.toBytes(),
        Map.of("sourceTopic", Topics.STOCK_RELEASE, "reason", "release failed: Redis does not answer"));

    Map<String, JsonObject> mine = new HashMap<>();
    Poll.await(Duration.ofSeconds(120), "the three dead letters listed", () -> {
      mine.clear();
      pageThrough(before, 1).forEach(d -> mine.put(d.getString("key"), d));
      return mine.keySet().containsAll(List.of(poisonKey, ghost.orderId(), release.orderId()));
    }, () -> "listed: " + mine.keySet());

    JsonObject poison = mine.get(poisonKey);
    assertEquals(Topics.ORDER_CREATE, poison.getString("sourceTopic"));
    assertEquals("MALFORMED", poison.getString("reason"));
    assertEquals("{not json", poison.getString("body"));
    assertNull(poison.getString("replayedAt"));
    JsonObject unknown = mine.get(ghost.orderId());
    assertEquals("UNKNOWN_SALE", unknown.getString("reason"));
    assertEquals(ghost, OrderMessage.fromBytes(unknown.getString("body").getBytes(StandardCharsets.UTF_8)));
    JsonObject fromStock = mine.get(release.orderId());
    assertEquals(Topics.STOCK_RELEASE, fromStock.getString("sourceTopic"));
    assertEquals("RELEASE_FAILED", fromStock.getString("reason"));
    assertEquals("release failed: Redis does not answer", fromStock.getString("detail"));
    assertEquals(release, StockRelease.fromBytes(fromStock.getString("body").getBytes(StandardCharsets.UTF_8)));
    // the counters move just after the row commits: wait for what is asserted, not for the rows
    Poll.await(Duration.ofSeconds(30), "the recorded dead letters counted by source and reason",
        () -> RUNNING.worker().counter("seckill_dead_letters", "source", Topics.STOCK_RELEASE) >= 1
            && RUNNING.worker().counter("seckill_dead_letters", "reason", "UNKNOWN_SALE") >= 1);
    Poll.await(Duration.ofSeconds(60), "the unreplayed gauge agrees with MySQL",
        () -> unreplayedGauge() == unreplayedInMysql());

    // the sale the order needed is created afterwards: the replay persists the order, once
    Sales.create(RUNNING.worker().baseUrl(), ghostSale, 10, WINDOW);
    OrderMessage sentinel = Sales.orders(realSale, 1, WINDOW).get(0);
    Map<String, List<MessageExt>> creations = RUNNING.broker().watch(Topics.ORDER_CREATE,
        key -> key.equals(ghost.orderId()) || key.equals(sentinel.orderId()));
    HttpResponse<String> replayed = replay(unknown.getLong("id"));
    assertEquals(200, replayed.statusCode(), replayed.body());
    JsonObject first = new JsonObject(replayed.body());
    assertEquals(Boolean.TRUE, first.getBoolean("replayedNow"));
    assertNotNull(first.getString("replayedAt"));
    Poll.await(Duration.ofSeconds(90), "the replayed order persisted", () -> "AWAITING_PAYMENT".equals(Mysql.status(ghost.orderId())));
    assertEquals(10 - ghost.quantity(), Mysql.available(ghostSale));

    HttpResponse<String> again = replay(unknown.getLong("id"));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(Boolean.FALSE, new JsonObject(again.body()).getBoolean("replayedNow"));
    assertEquals(first.getString("replayedAt"), new JsonObject(again.body()).getString("replayedAt"));
    RUNNING.broker().publishCreates(List.of(sentinel));
    Poll.await(Duration.ofSeconds(60), "a creation published after the second replay seen",
        () -> creations.containsKey(sentinel.orderId()));
    assertEquals(1, creations.get(ghost.orderId()).size(), "the second replay published nothing");
    assertEquals(1, Mysql.orders(ghostSale));

    // stock-service's dead letter goes back to the release topic with its key and body
    Map<String, List<MessageExt>> releases = RUNNING.broker().watch(Topics.STOCK_RELEASE, release.orderId()::equals);
    assertEquals(200, replay(fromStock.getLong("id")).statusCode());
    Poll.await(Duration.ofSeconds(60), "the release replayed", () -> releases.containsKey(release.orderId()));
    assertEquals(release, StockRelease.fromBytes(releases.get(release.orderId()).get(0).getBody()));
    Poll.await(Duration.ofSeconds(60), "the unreplayed gauge agrees with MySQL after the replays",
        () -> unreplayedGauge() == unreplayedInMysql());
  }

  @Test
  @DisplayName("Bad paging or ids get a 400 problem, an unknown id 404, a dead letter from a topic nobody consumes cannot be replayed")
  void badInput() throws Exception {
    String url = RUNNING.worker().baseUrl() + "/internal/dead-letters";
    for (String query : List.of("?limit=0", "?limit=501", "?limit=ten", "?after=-1", "?after=x", "?limit=1.5")) {
      assertProblem(Sales.get(url + query), 400, "BAD_REQUEST");
    }
    assertProblem(Sales.post(url + "/abc/replay", ""), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/0/replay", ""), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/" + Long.MAX_VALUE + "/replay", ""), 404, "NOT_FOUND");

    long before = lastId();
    String key = "elsewhere-" + System.nanoTime();
    RUNNING.broker().publishRaw(Topics.DEAD_LETTER, key, "x".getBytes(StandardCharsets.UTF_8),
        Map.of("sourceTopic", "some-other-topic", "reason", "MALFORMED"));
    JsonObject row = Poll.until(Duration.ofSeconds(60),
        () -> pageThrough(before, 50).stream().filter(d -> key.equals(d.getString("key"))).findFirst().orElse(null),
        found -> found != null);
    assertNotNull(row, "the dead letter from some-other-topic was recorded");
    assertProblem(replay(row.getLong("id")), 400, "BAD_REQUEST");
    assertNull(new JsonObject(Sales.get(url + "?after=" + before).body()).getJsonArray("deadLetters").stream()
        .map(JsonObject.class::cast).filter(d -> key.equals(d.getString("key"))).findFirst().orElseThrow()
        .getString("replayedAt"), "a refused replay marks nothing");
  }

  /** Every dead letter after {@code after}, following {@code next} with pages of {@code limit}. */
  private static List<JsonObject> pageThrough(long after, int limit) throws Exception {
    List<JsonObject> all = new java.util.ArrayList<>();
    Long next = after;
    while (next != null) {
      HttpResponse<String> page = Sales.get(RUNNING.worker().baseUrl() + "/internal/dead-letters?limit=" + limit + "&after=" + next);
      assertEquals(200, page.statusCode(), page.body());
      JsonObject body = new JsonObject(page.body());
      JsonArray letters = body.getJsonArray("deadLetters");
      assertTrue(letters.size() <= limit);
      letters.forEach(d -> all.add((JsonObject) d));
      next = body.getLong("next");
    }
    return all;
  }

  private static long lastId() throws Exception {
    try (var c = Mysql.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM dead_letter");
         ResultSet rows = s.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static long unreplayedInMysql() throws Exception {
    try (var c = Mysql.connect(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM dead_letter WHERE replayed_at IS NULL");
         ResultSet rows = s.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static long unreplayedGauge() {
    return (long) RUNNING.worker().metrics().registry().get("seckill_dead_letters_unreplayed").gauge().value();
  }

  private static HttpResponse<String> replay(long id) throws Exception {
    return Sales.post(RUNNING.worker().baseUrl() + "/internal/dead-letters/" + id + "/replay", "");
  }
}
