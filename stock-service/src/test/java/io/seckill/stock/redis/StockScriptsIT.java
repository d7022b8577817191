package io.seckill.stock.redis;

import io.seckill.stock.OutboxConfig;
import io.seckill.stock.redis.StockScripts.Script;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.testkit.LocalStack;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.seckill.stock.support.RedisProbe.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Lua scripts in lua/, run directly against the real Redis through {@link StockScripts}. */
class StockScriptsIT {

  private static RedisProbe redis;
  private static StockScripts scripts;
  private static final AtomicInteger reloads = new AtomicInteger();
  private final List<String> sales = new ArrayList<>();

  @BeforeAll
  static void connect() {
    redis = new RedisProbe(LocalStack.fromEnv());
    scripts = StockScripts.fromClasspath(redis.client(), redis.cluster(), reloads::incrementAndGet);
    await(scripts.loadAll());
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @AfterEach
  void deleteSales() {
    sales.forEach(redis::deleteSale);
  }

  private SaleKeys sale(long startsAt, long endsAt, int stock, int limit) {
    String id = StockClient.uniqueSaleId("scripts");
    sales.add(id);
    SaleKeys keys = new SaleKeys(id);
    assertEquals(1, warm(keys, "item", stock, limit, startsAt, endsAt).toInteger());
    return keys;
  }

  private SaleKeys openSale(int stock, int limit) {
    long now = System.currentTimeMillis();
    return sale(now - 60_000, now + 3_600_000, stock, limit);
  }

  private Response warm(SaleKeys keys, String item, int stock, int limit, long startsAt, long endsAt) {
    return await(scripts.run(Script.WARM, keys.forWarm(), List.of(item, "" + stock, "" + limit, "" + startsAt,
        "" + endsAt, "600000", OutboxConfig.GROUP)));
  }

  private Response reserve(SaleKeys keys, String user, int qty, String orderId, String idem) {
    return await(scripts.run(Script.RESERVE, keys.forReserve(), List.of(user, "" + qty, orderId, idem)));
  }

  private Response release(SaleKeys keys, String orderId) {
    return await(scripts.run(Script.RELEASE, keys.forRelease(), List.of(orderId)));
  }

  private static String order(SaleKeys keys, int n) {
    return keys.saleId() + "." + String.format("%026d", n);
  }

  @Test
  @DisplayName("Every key of a sale carries the hash tag {saleId}, so the scripts stay on one cluster slot")
  void keysShareOneHashTag() {
    SaleKeys keys = new SaleKeys("s-1");
    for (String key : keys.all()) {
      assertTrue(key.contains("{s-1}") && key.indexOf('{') == key.lastIndexOf('{'), key);
    }
  }

  @Test
  @DisplayName("The bot defence is part of the definition: changing it is a different sale; a hash without it is 'none'")
  void botDefenceIsPartOfTheDefinition() {
    long now = System.currentTimeMillis();
    SaleKeys live = sale(now - 1_000, now + 60_000, 10, 2); // warmed without ARGV[8], as before the field
    assertEquals(0, warmWithDefence(live, now - 1_000, now + 60_000, "none").toInteger(), "absent = none: identical");
    assertEquals(-1, warmWithDefence(live, now - 1_000, now + 60_000, "proof-of-work:5000").toInteger(),
        "a live sale's defence is not changed");

    SaleKeys future = sale(now + 60_000, now + 120_000, 10, 2);
    assertEquals(2, warmWithDefence(future, now + 60_000, now + 120_000, "proof-of-work:5000").toInteger(), "replaced");
    assertEquals(0, warmWithDefence(future, now + 60_000, now + 120_000, "proof-of-work:5000").toInteger(), "identical");
    List<String> stats = new ArrayList<>();
    await(scripts.run(Script.STATS, future.forStats(), List.of())).forEach(r -> stats.add(r == null ? null : r.toString()));
    assertEquals("proof-of-work:5000", stats.get(10), "stats-1.lua reads it back");
  }

  private Response warmWithDefence(SaleKeys keys, long startsAt, long endsAt, String defence) {
    return await(scripts.run(Script.WARM, keys.forWarm(), List.of("item", "10", "2", "" + startsAt,
        "" + endsAt, "600000", OutboxConfig.GROUP, defence)));
  }

  @Test
  @DisplayName("Warm-up creates, accepts an identical repeat, refuses to overwrite a live sale, replaces one not yet started")
  void warmUpIsIdempotentAndRefusesToOverwriteALiveSale() {
    long now = System.currentTimeMillis();
    SaleKeys live = sale(now - 1_000, now + 60_000, 10, 2);
    assertEquals(0, warm(live, "item", 10, 2, now - 1_000, now + 60_000).toInteger(), "identical");
    assertEquals(-1, warm(live, "item", 99, 2, now - 1_000, now + 60_000).toInteger(), "live: refused");
    assertEquals(10, redis.available(live.saleId()), "the refused warm-up changed nothing");

    SaleKeys future = sale(now + 60_000, now + 120_000, 10, 2);
    assertEquals(2, warm(future, "item", 20, 2, now + 60_000, now + 120_000).toInteger(), "replaced");
    assertEquals(20, redis.available(future.saleId()));

    SaleKeys reserved = sale(now - 1_000, now + 60_000, 10, 2);
    assertEquals(1, reserve(reserved, "u", 1, order(reserved, 1), "").get(0).toInteger());
    assertEquals(-1, warm(reserved, "item", 10, 2, now + 60_000, now + 120_000).toInteger(),
        "a sale with reservations is never overwritten, even to move it to the future");
  }

  @Test
  @DisplayName("Reserve answers SALE_NOT_FOUND, SALE_NOT_STARTED and SALE_ENDED by the Redis clock")
  void reserveChecksTheWindow() {
    long now = System.currentTimeMillis();
    SaleKeys early = sale(now + 60_000, now + 120_000, 5, 1);
    SaleKeys late = sale(now - 120_000, now - 60_000, 5, 1);
    SaleKeys missing = new SaleKeys(StockClient.uniqueSaleId("missing"));
    assertEquals(-2, reserve(early, "u", 1, order(early, 1), "").get(0).toInteger());
    assertEquals(-3, reserve(late, "u", 1, order(late, 1), "").get(0).toInteger());
    assertEquals(-1, reserve(missing, "u", 1, order(missing, 1), "").get(0).toInteger());
    assertEquals(5, redis.available(early.saleId()));
    assertEquals(5, redis.available(late.saleId()));
  }

  @Test
  @DisplayName("Per-user limit 2: 1 then 1 succeed, a third is refused, and 3 at once is refused")
  void perUserLimitCountsUnitsAlreadyHeld() {
    SaleKeys keys = openSale(100, 2);
    assertEquals(1, reserve(keys, "alice", 1, order(keys, 1), "").get(0).toInteger());
    assertEquals(1, reserve(keys, "alice", 1, order(keys, 2), "").get(0).toInteger());
    Response third = reserve(keys, "alice", 1, order(keys, 3), "");
    assertEquals(-4, third.get(0).toInteger());
    assertEquals(2, third.get(1).toInteger(), "reports the units held");
    assertEquals(-4, reserve(keys, "bob", 3, order(keys, 4), "").get(0).toInteger());
    assertEquals(98, redis.available(keys.saleId()));
    assertEquals(2L, redis.held(keys.saleId()).get("alice"));
    assertEquals(null, redis.held(keys.saleId()).get("bob"));
  }

  @Test
  @DisplayName("Reserve records the reservation and its outbox entry, and refuses when stock is short")
  void reserveDeductsRecordsAndRefusesWhenShort() {
    SaleKeys keys = openSale(3, 5);
    Response first = reserve(keys, "alice", 2, order(keys, 1), "");
    assertEquals(1, first.get(0).toInteger());
    assertEquals(order(keys, 1), first.get(1).toString());
    String[] record = first.get(2).toString().split("\\|");
    assertEquals("alice", record[0]);
    assertEquals("2", record[1]);
    assertEquals(600_000L, Long.parseLong(record[3]) - Long.parseLong(record[2]), "expiresAt = reservedAt + window");
    assertEquals("R", record[4]);
    Response short1 = reserve(keys, "bob", 2, order(keys, 2), "");
    assertEquals(-5, short1.get(0).toInteger());
    assertEquals(1, short1.get(1).toInteger(), "fewer units than asked: available is reported");
    assertEquals(1, reserve(keys, "bob", 1, order(keys, 3), "").get(0).toInteger());
    Response empty = reserve(keys, "carol", 1, order(keys, 4), "");
    assertEquals(-5, empty.get(0).toInteger());
    assertEquals(0, empty.get(1).toInteger());
    assertEquals(0, redis.available(keys.saleId()));
    assertEquals(2, redis.outboxLength(keys.saleId()), "one outbox entry per reservation");
    assertEquals(-6, reserve(keys, "dave", 0, order(keys, 5), "").get(0).toInteger());
  }

  @Test
  @DisplayName("The same user with the same idempotency key gets the first reservation again; another user does not")
  void idempotencyKeyReplaysTheFirstAnswer() {
    SaleKeys keys = openSale(10, 3);
    Response first = reserve(keys, "alice", 1, order(keys, 1), "key-1");
    Response again = reserve(keys, "alice", 1, order(keys, 2), "key-1");
    assertEquals(1, first.get(0).toInteger());
    assertEquals(2, again.get(0).toInteger());
    assertEquals(first.get(1).toString(), again.get(1).toString());
    assertEquals(first.get(2).toString(), again.get(2).toString());
    assertEquals(1, reserve(keys, "bob", 1, order(keys, 3), "key-1").get(0).toInteger(), "keys are per user");
    assertEquals(8, redis.available(keys.saleId()));
  }

  @Test
  @DisplayName("A release called twice returns the units once; a release of an unknown reservation changes nothing")
  void releaseReturnsUnitsExactlyOnce() {
    SaleKeys keys = openSale(5, 2);
    assertEquals(1, reserve(keys, "alice", 2, order(keys, 1), "").get(0).toInteger());
    assertEquals(3, redis.available(keys.saleId()));

    Response first = release(keys, order(keys, 1));
    assertEquals(1, first.get(0).toInteger());
    assertEquals(2, first.get(1).toInteger());
    Response second = release(keys, order(keys, 1));
    assertEquals(0, second.get(0).toInteger());
    assertEquals(5, redis.available(keys.saleId()), "units returned once");
    assertEquals(null, redis.held(keys.saleId()).get("alice"), "held count lowered");

    assertEquals(-1, release(keys, order(keys, 9)).get(0).toInteger());
    assertEquals(5, redis.available(keys.saleId()));
    List<String> stats = new ArrayList<>();
    await(scripts.run(Script.STATS, keys.forStats(), List.of())).forEach(r -> stats.add(r.toString()));
    assertEquals(List.of("5", "2", "5", "2", "2", "1"), List.of(stats.get(1), stats.get(2), stats.get(6),
        stats.get(7), stats.get(8), stats.get(9)), "stock, limit, available, reservedUnits, releasedUnits, reservations");
    assertEquals(1, reserve(keys, "alice", 2, order(keys, 2), "").get(0).toInteger(), "released units sell again");
  }

  @Test
  @DisplayName("A release for a sale Redis does not hold answers SALE_ABSENT and writes nothing")
  void releaseOfAnAbsentSaleIsSaleAbsent() {
    SaleKeys keys = new SaleKeys(StockClient.uniqueSaleId("scripts"));
    sales.add(keys.saleId());
    assertEquals(-2, release(keys, order(keys, 1)).get(0).toInteger());
    assertEquals(0, await(redis.api().exists(keys.all())).toInteger(), "no key created");
  }

  @Test
  @DisplayName("A sale is retired only after endsAt + paymentWindow + retention and with an empty outbox;"
      + " a later release of it answers RETIRED")
  void retiresOnlyEndedSettledSales() {
    SaleKeys keys = openSale(5, 2);
    assertEquals(1, reserve(keys, "alice", 1, order(keys, 1), "").get(0).toInteger());
    assertEquals(1, reserve(keys, "bob", 1, order(keys, 2), "bob-key").get(0).toInteger());
    // the sale ended ten seconds ago and its payment window was one second
    long endedAt = System.currentTimeMillis() - 10_000;
    await(redis.api().hset(List.of(keys.sale(), "endsAt", "" + endedAt, "paymentWindow", "1000")));

    assertEquals(0, retire(keys, 3_600_000).toInteger(), "within its retention the sale stays");
    assertEquals(0, retire(keys, 1_000).toInteger(), "past its retention, but two 202s are still in the outbox");
    assertEquals(5, await(redis.api().exists(keys.all().subList(0, 5))).toInteger(), "nothing was deleted");

    await(redis.api().xtrim(List.of(keys.outbox(), "MAXLEN", "0")));
    assertEquals(1, retire(keys, 1_000).toInteger(), "published, past its retention: retired");
    assertEquals(0, await(redis.api().exists(keys.all().subList(0, 5))).toInteger(), "every key of the sale is gone");
    long ttl = await(redis.api().pttl(keys.retired())).toLong();
    assertTrue(ttl > 0 && ttl <= 1_000, "the tombstone expires after the retention: " + ttl);
    assertEquals(-1, retire(keys, 1_000).toInteger(), "a second retirement finds nothing");
    assertEquals(-3, release(keys, order(keys, 1)).get(0).toInteger(), "a late release is told the sale retired");
    assertEquals(0, await(redis.api().exists(List.of(keys.sale(), keys.held(), keys.reservations()))).toInteger(),
        "and writes nothing");
  }

  private Response retire(SaleKeys keys, long retentionMillis) {
    return await(scripts.run(Script.RETIRE, keys.forRetire(), List.of(Long.toString(retentionMillis))));
  }

  @Test
  @DisplayName("After SCRIPT FLUSH the next call reloads the script and succeeds")
  void reloadsAfterScriptFlush() {
    SaleKeys keys = openSale(5, 1);
    int before = reloads.get();
    redis.scriptFlush();
    assertEquals(1, reserve(keys, "alice", 1, order(keys, 1), "").get(0).toInteger());
    assertEquals(before + 1, reloads.get(), "one NOSCRIPT reload");
    assertEquals(1, reserve(keys, "bob", 1, order(keys, 2), "").get(0).toInteger());
    assertEquals(before + 1, reloads.get(), "loaded once, then found");
  }

  @Test
  @DisplayName("With WAIT after each reservation (one batch), SCRIPT FLUSH is followed by a reload and the call succeeds")
  void replicatedReserveReloadsAfterScriptFlush() {
    AtomicInteger waitReloads = new AtomicInteger();
    // WAIT 1 10: on one node (no replica) WAIT answers 0 after 10 ms; the reservation stands either way
    StockScripts waited = StockScripts.fromClasspath(redis.client(), redis.cluster(), 10, waitReloads::incrementAndGet);
    SaleKeys keys = openSale(5, 1);
    redis.scriptFlush();
    assertEquals(1, await(waited.runReplicated(Script.RESERVE, keys.forReserve(),
        List.of("alice", "1", order(keys, 1), ""))).get(0).toInteger());
    assertEquals(1, waitReloads.get(), "the batch's NOSCRIPT (ERR [0] NOSCRIPT) triggered one reload");
    assertEquals(1, await(waited.runReplicated(Script.RESERVE, keys.forReserve(),
        List.of("bob", "1", order(keys, 2), ""))).get(0).toInteger());
    assertEquals(1, waitReloads.get(), "loaded once, then found");
    assertEquals(3, await(redis.api().hget(keys.sale(), "available")).toInteger(), "two units reserved, once each");
  }
}
