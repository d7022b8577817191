package io.seckill.stock.redis;

import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockProcess;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sale's slot moves to another master while buyers reserve, as {@code redis-cli --cluster
 * reshard} moves it, step by step with the cluster's own commands: the target marks the slot
 * IMPORTING, the source MIGRATING, the sale's keys are MIGRATEd one at a time (between two steps a
 * reservation, whose keys are then split between the nodes, is answered TRYAGAIN), then, with every
 * key on the target, the source answers ASK and the client must send ASKING and the command to the
 * target; last, CLUSTER SETSLOT NODE gives the slot to the target and the source answers MOVED
 * until the client reads the new slot map. Checked: no reservation fails at any step, the ASK
 * redirections were followed (the source counted ASK replies, the target ASKING commands), the
 * sale ends on the target, and its counts are exact.
 */
class RedisReshardClusterIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final int STOCK = 100_000;
  private static final int BUYERS = 8;

  @Test
  @DisplayName("the sale's slot migrates to another master mid-burst: TRYAGAIN, ASK and MOVED are followed, no reservation fails, counts exact")
  void reshardDuringReservations() throws Exception {
    STACK.requireClusterInfra();
    String saleId = StockClient.uniqueSaleId("reshard");
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    Map<String, Integer> failed = new ConcurrentHashMap<>();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(BUYERS);
    try (RedisProbe redis = new RedisProbe(STACK);
         ServiceProcess service = StockProcess.start(Map.of())) {
      StockClient client = new StockClient(service.baseUrl());
      assertEquals(201, client.warm(StockClient.openSale(saleId, STOCK, 1, Duration.ofHours(1))).status());
      String saleKey = new SaleKeys(saleId).sale();
      int slot = RedisProbe.await(redis.api().cluster(List.of("KEYSLOT", saleKey))).toInteger();
      String source = masterOf(redis, slot);
      String target = masters(redis).stream().filter(m -> !m.equals(source)).findFirst()
          .orElseThrow(() -> new AssertionError("a cluster with one master: nowhere to move slot " + slot));
      String sourceId = redis.onNode(source, Request.cmd(Command.CLUSTER).arg("MYID")).toString();
      String targetId = redis.onNode(target, Request.cmd(Command.CLUSTER).arg("MYID")).toString();
      long askRepliesBefore = errorCount(redis, source, "ASK");
      long askingBefore = commandCalls(redis, target, "asking");
      long movedBefore = errorCount(redis, source, "MOVED");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> buyers = new ArrayList<>();
      for (int t = 0; t < BUYERS; t++) {
        buyers.add(pool.submit(() -> {
          while (!stop.get()) {
            String user = "buyer-" + next.incrementAndGet();
            sent.add(user);
            StockClient.Answer answer = reserve(client, saleId, user);
            if (answer.status() == 200 || answer.status() == 201) {
              acknowledged.put(user, answer.body().getString("orderId"));
            } else {
              failed.merge(answer.status() + " " + answer.body(), 1, Integer::sum);
            }
          }
          return null;
        }));
      }
      boolean moved = false;
      try {
        Poll.until(Duration.ofSeconds(60), acknowledged::size, n -> n >= 100);

        // 1. the slot opens on both sides; the keys move one at a time while buyers keep reserving
        redis.onNode(target, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("IMPORTING").arg(sourceId));
        redis.onNode(source, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("MIGRATING").arg(targetId));
        int migrated = migrateKeys(redis, source, target, slot);
        assertTrue(migrated >= 5, "the sale's five keys moved to the target (" + migrated + " keys of slot " + slot + ")");

        // 2. every key is on the target, the slot still the source's: each reservation is an ASK
        int beforeAsk = acknowledged.size();
        Poll.until(Duration.ofSeconds(60), acknowledged::size, n -> n >= beforeAsk + 100);
        long askReplies = errorCount(redis, source, "ASK") - askRepliesBefore;
        long asking = commandCalls(redis, target, "asking") - askingBefore;
        assertTrue(askReplies > 0, "the source answered ASK while the slot migrated");
        assertTrue(asking > 0, "the client followed ASK with ASKING on the target");

        // 3. the slot is the target's: the source answers MOVED until the client reads the new map
        assignSlot(redis, slot, targetId, target, source);
        moved = true;
        int afterMove = acknowledged.size();
        Poll.until(Duration.ofSeconds(60), acknowledged::size, n -> n >= afterMove + 100);
        stop.set(true);
        for (Future<?> buyer : buyers) {
          buyer.get(60, TimeUnit.SECONDS);
        }
        long movedReplies = errorCount(redis, source, "MOVED") - movedBefore;
        System.out.printf("reshard of slot %d from %s to %s: %d keys migrated, %d acknowledged, ASK %d, ASKING %d, MOVED %d%n",
            slot, source, target, migrated, acknowledged.size(), askReplies, asking, movedReplies);

        assertEquals(Map.of(), failed, "no reservation failed while the slot moved");
        assertEquals(target, masterOf(redis, slot), "the sale's slot is served by the target now");
        // a buyer whose answer got lost retries with the same key and gets the reservation it made
        for (String user : sent) {
          StockClient.Answer retry = reserve(client, saleId, user);
          assertTrue(retry.status() == 200 || retry.status() == 201, "retry of " + user + ": " + retry);
          String orderId = retry.body().getString("orderId");
          String first = acknowledged.putIfAbsent(user, orderId);
          assertTrue(first == null || first.equals(orderId), "the retry of " + user + " replays its reservation");
        }
        List<String> inRedis = redis.reservationIds(saleId);
        long held = redis.held(saleId).values().stream().mapToLong(Long::longValue).sum();
        assertEquals(sent.size(), acknowledged.size(), "every buyer holds one reservation");
        assertEquals(Set.copyOf(acknowledged.values()), Set.copyOf(inRedis), "the target holds exactly the acknowledged reservations");
        assertEquals(sent.size(), held, "one unit held per buyer");
        assertEquals(STOCK - sent.size(), redis.available(saleId), "available = stock - reserved");
      } finally {
        stop.set(true);
        if (!moved) {
          // leave the cluster whole for the tests that follow: finish the move
          migrateKeys(redis, source, target, slot);
          assignSlot(redis, slot, targetId, target, source);
        }
        redis.deleteSale(saleId);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static StockClient.Answer reserve(StockClient client, String saleId, String user) {
    String body = new JsonObject().put("userId", user).put("quantity", 1).put("idempotencyKey", "key-" + user).encode();
    return client.send("POST", "/internal/sales/" + saleId + "/reservations", body, Duration.ofSeconds(30));
  }

  /** MIGRATE of the slot's keys from source to target, one key per step; how many moved. */
  private static int migrateKeys(RedisProbe redis, String source, String target, int slot) {
    String[] host = target.split(":");
    int moved = 0;
    while (true) {
      Response keys = redis.onNode(source, Request.cmd(Command.CLUSTER).arg("GETKEYSINSLOT").arg(slot).arg(1));
      if (keys.size() == 0) {
        return moved;
      }
      redis.onNode(source, Request.cmd(Command.MIGRATE).arg(host[0]).arg(host[1]).arg("").arg(0).arg(10_000)
          .arg("AUTH").arg(redis.password()).arg("KEYS").arg(keys.get(0).toString()));
      moved++;
    }
  }

  /** CLUSTER SETSLOT slot NODE on the target first, then the source, then every other master. */
  private static void assignSlot(RedisProbe redis, int slot, String targetId, String target, String source) {
    List<String> order = new ArrayList<>(List.of(target, source));
    masters(redis).stream().filter(m -> !order.contains(m)).forEach(order::add);
    for (String node : order) {
      redis.onNode(node, Request.cmd(Command.CLUSTER).arg("SETSLOT").arg(slot).arg("NODE").arg(targetId));
    }
  }

  /** {@code host:port} of every master, from CLUSTER SLOTS. */
  private static List<String> masters(RedisProbe redis) {
    Response shards = RedisProbe.await(redis.client().send(Request.cmd(Command.CLUSTER).arg("SLOTS")));
    List<String> masters = new ArrayList<>();
    for (Response range : shards) {
      String master = range.get(2).get(0) + ":" + range.get(2).get(1).toInteger();
      if (!masters.contains(master)) {
        masters.add(master);
      }
    }
    return masters;
  }

  private static String masterOf(RedisProbe redis, int slot) {
    Response shards = RedisProbe.await(redis.client().send(Request.cmd(Command.CLUSTER).arg("SLOTS")));
    for (Response range : shards) {
      if (range.get(0).toLong() <= slot && slot <= range.get(1).toLong()) {
        return range.get(2).get(0) + ":" + range.get(2).get(1).toInteger();
      }
    }
    throw new AssertionError("no master serves slot " + slot);
  }

  /** How many {@code prefix} error replies the node has sent (INFO errorstats; 0 before the first). */
  private static long errorCount(RedisProbe redis, String node, String prefix) {
    return redis.nodeInfo(node, "errorstats", "errorstat_" + prefix).map(RedisReshardClusterIT::count).orElse(0L);
  }

  /** How many times the node ran {@code command} (INFO commandstats; 0 before the first). */
  private static long commandCalls(RedisProbe redis, String node, String command) {
    return redis.nodeInfo(node, "commandstats", "cmdstat_" + command).map(RedisReshardClusterIT::calls).orElse(0L);
  }

  private static long count(String stat) {
    return field(stat, "count");
  }

  private static long calls(String stat) {
    return field(stat, "calls");
  }

  private static long field(String stat, String name) {
    for (String part : stat.split(",")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + stat);
  }
}
