package io.seckill.stock.redis;

import io.seckill.stock.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;

import java.util.concurrent.TimeUnit;

/**
 * Builds the Redis client each verticle owns: one pipelined connection (on a Redis Cluster, one
 * cluster connection: a connection per master, each command routed by its keys), used from the
 * verticle's event loop only.
 */
public final class RedisClients {

  private RedisClients() {
  }

  public static Redis create(Vertx vertx, RedisConfig config) {
    RedisOptions options = new RedisOptions()
        .setEndpoints(config.connectionStrings())
        .setPassword(config.password())
        .setMaxPoolSize(2)
        .setMaxPoolWaiting(8192)
        .setMaxWaitingHandlers(8192)
        // RESP2 replies keep one shape for stream reads (arrays, not RESP3 maps).
        .setProtocolNegotiation(false)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    if (config.cluster()) {
      // Every command of a sale carries its keys, all in the sale's slot: the client sends it to
      // the master that owns the slot and follows MOVED (a slot that moved for good: it refreshes
      // the slot map) and ASK (a slot being migrated). Replicas are never read: a reservation
      // must see the last write.
      options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    }
    // A connection that has read nothing for this long is closed, and the next command opens a new
    // one. Without it a connection whose peer went silent (a partition that healed on a path the
    // old socket no longer has, a NAT that forgot it, a server that vanished without a FIN) waits
    // for replies for ever: TCP never reports it, and every command queued on it hangs with it.
    // PipelinedRedis pings every third of that, so a healthy connection is never that quiet.
    // On a cluster the client holds one connection per master and a sale's traffic reaches only its
    // own: a read-idle timeout there closed healthy connections under load (CONNECTION_CLOSED in
    // ReservationIT's cluster pass), so it applies to the one-node client only; a cluster node
    // that dies closes its socket, and a failed command drops the whole cluster connection.
    if (!config.cluster()) {
      options.getNetClientOptions()
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
          .setReadIdleTimeout(config.timeoutMillis());
    }
    return new PipelinedRedis(vertx, Redis.createClient(vertx, options), Math.max(1, config.timeoutMillis() / 3));
  }
}
