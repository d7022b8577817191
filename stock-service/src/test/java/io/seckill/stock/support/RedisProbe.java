package io.seckill.stock.support;

import io.seckill.stock.redis.SaleKeys;
import io.seckill.testkit.LocalStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Blocking reads and writes on the real Redis, for tests that look behind the service: the one
 * node, or the Redis Cluster when the stack runs one (every key of a sale lives on one master).
 */
public final class RedisProbe implements AutoCloseable {

  private final Vertx vertx;
  private final Redis client;
  private final RedisAPI api;
  private final boolean cluster;
  private final String password;

  public RedisProbe(LocalStack stack) {
    stack.requireRedis();
    vertx = Vertx.vertx();
    cluster = stack.redisCluster();
    password = stack.redisPassword();
    RedisOptions options = new RedisOptions()
        .setEndpoints(stack.redisConnectionStrings())
        .setMaxPoolSize(4).setMaxPoolWaiting(1024)
        .setProtocolNegotiation(false).setPreferredProtocolVersion(ProtocolVersion.RESP2);
    if (cluster) {
      options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    }
    client = Redis.createClient(vertx, options);
    api = RedisAPI.api(client);
  }

  public Redis client() {
    return client;
  }

  public boolean cluster() {
    return cluster;
  }

  /** {@code request} on the one node, or on every master of the cluster; the replies in no order. */
  public List<Response> onEveryMaster(Request request) {
    if (!cluster) {
      return List.of(await(client.send(request)));
    }
    return await(client.connect().compose(connection -> RedisCluster.create(connection).onAllMasterNodes(request)
        .eventually(connection::close)));
  }

  /** One field of {@code INFO} from the node at {@code hostPort} (e.g. {@code process_id}), asked directly. */
  public String nodeInfo(String hostPort, String field) {
    return nodeInfo(hostPort, "server", field)
        .orElseThrow(() -> new AssertionError("no " + field + " in INFO of " + hostPort));
  }

  /** One field of the {@code section} of {@code INFO} of the node at {@code hostPort}, if the node reports it. */
  public Optional<String> nodeInfo(String hostPort, String section, String field) {
    String info = onNode(hostPort, Request.cmd(Command.INFO).arg(section)).toString();
    return info.lines().filter(line -> line.startsWith(field + ":")).map(line -> line.substring(field.length() + 1).trim())
        .findFirst();
  }

  /**
   * {@code request} sent to the node at {@code hostPort} itself, not routed by the cluster client
   * (CLUSTER SETSLOT, MIGRATE, INFO: commands about that node).
   */
  public Response onNode(String hostPort, Request request) {
    Redis node = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString("redis://" + hostPort).setPassword(password)
        .setProtocolNegotiation(false).setPreferredProtocolVersion(ProtocolVersion.RESP2));
    try {
      return await(node.send(request));
    } finally {
      await(node.close());
    }
  }

  /** The password of the stack's Redis (MIGRATE between cluster nodes needs it). */
  public String password() {
    return password;
  }

  /** Every key matching {@code pattern}, from every master. */
  public List<String> keys(String pattern) {
    List<String> keys = new ArrayList<>();
    for (Response reply : onEveryMaster(Request.cmd(Command.KEYS).arg(pattern))) {
      reply.forEach(key -> keys.add(key.toString()));
    }
    return keys;
  }

  public RedisAPI api() {
    return api;
  }

  public Vertx vertx() {
    return vertx;
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Redis call failed: " + e, e);
    }
  }

  public long available(String saleId) {
    Response value = await(api.hget(new SaleKeys(saleId).sale(), "available"));
    return value == null ? Long.MIN_VALUE : value.toLong();
  }

  public Map<String, Long> held(String saleId) {
    Response all = await(api.hgetall(new SaleKeys(saleId).held()));
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i + 1 < all.size(); i += 2) {
      out.put(all.get(i).toString(), all.get(i + 1).toLong());
    }
    return out;
  }

  public List<String> reservationIds(String saleId) {
    Response keys = await(api.hkeys(new SaleKeys(saleId).reservations()));
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.toString()));
    return out;
  }

  public long outboxLength(String saleId) {
    return await(api.xlen(new SaleKeys(saleId).outbox())).toLong();
  }

  /** Entries of the sale's outbox read by {@code consumer} and not yet acknowledged. */
  public long pendingFor(String saleId, String group, String consumer) {
    Response summary = await(api.xpending(List.of(new SaleKeys(saleId).outbox(), group)));
    Response consumers = summary.get(3);
    if (consumers != null) {
      for (Response entry : consumers) {
        if (entry.get(0).toString().equals(consumer)) {
          return entry.get(1).toLong();
        }
      }
    }
    return 0;
  }

  /** Empties the script cache of every master, as a restart or a failover to a replica does. */
  public void scriptFlush() {
    onEveryMaster(Request.cmd(Command.SCRIPT).arg("FLUSH"));
  }

  /** Removes every key of the sale and its id from the warmed-sales set. */
  public void deleteSale(String saleId) {
    await(api.srem(List.of(SaleKeys.SALES, saleId)));
    await(api.del(new SaleKeys(saleId).all()));
  }

  @Override
  public void close() {
    await(client.close());
    await(vertx.close());
  }
}
