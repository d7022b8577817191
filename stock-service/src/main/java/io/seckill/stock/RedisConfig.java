package io.seckill.stock;

import io.seckill.contracts.Secrets;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where Redis is, the password it requires ({@code SECKILL_REDIS_PASSWORD}), and how long a
 * connection may stay silent before it is taken for dead ({@code SECKILL_REDIS_TIMEOUT_MS}).
 *
 * @param waitReplicaMillis 0: a reservation is answered once its master ran it; otherwise
 *              {@code WAIT 1 <ms>} follows each reservation on the same connection, so it is answered
 *              once a replica has it too, or after this many ms ({@code SECKILL_REDIS_WAIT_MS};
 *              docs/redis-cluster.md has the measurement behind the default)
 * @param nodes empty: one Redis at {@code host:port}; otherwise the {@code host:port} seed nodes
 *              of a Redis Cluster ({@code SECKILL_REDIS_NODES}, comma-separated), from which the
 *              client learns every master and which slots it owns
 */
public record RedisConfig(String host, int port, List<String> nodes, String password, int timeoutMillis,
                          int waitReplicaMillis) {

  public RedisConfig {
    nodes = List.copyOf(nodes);
  }

  static RedisConfig fromEnv(Map<String, String> env) {
    return new RedisConfig(
        env.getOrDefault("SECKILL_REDIS_HOST", "127.0.0.1"),
        Env.intVar(env, "SECKILL_REDIS_PORT", 16379, 1, 65535),
        nodes(env.getOrDefault("SECKILL_REDIS_NODES", "")),
        Secrets.require(env, "SECKILL_REDIS_PASSWORD"),
        Env.intVar(env, "SECKILL_REDIS_TIMEOUT_MS", 5_000, 1_000, 60_000),
        Env.intVar(env, "SECKILL_REDIS_WAIT_MS", 0, 0, 1_000));
  }

  /** {@code host:port,host:port}; a malformed entry fails start-up. */
  static List<String> nodes(String text) {
    List<String> nodes = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String node : nodes) {
      int colon = node.lastIndexOf(':');
      boolean valid = colon > 0 && colon < node.length() - 1 && node.substring(colon + 1).chars().allMatch(Character::isDigit);
      if (!valid || Integer.parseInt(node.substring(colon + 1)) > 65535) {
        throw new IllegalArgumentException("SECKILL_REDIS_NODES must be host:port,host:port…, got '" + node + "'");
      }
    }
    return nodes;
  }

  /** Whether stock-service talks to a Redis Cluster ({@code SECKILL_REDIS_NODES} is set). */
  public boolean cluster() {
    return !nodes.isEmpty();
  }

  /** The addresses only: the password is set apart, so it never appears in a log line or a URL. */
  public List<String> connectionStrings() {
    return cluster() ? nodes.stream().map(node -> "redis://" + node).toList() : List.of("redis://" + host + ":" + port);
  }

  @Override
  public String toString() {
    return "RedisConfig[" + (cluster() ? "cluster " : "") + String.join(",", connectionStrings()) + "]";
  }
}
