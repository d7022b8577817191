package io.seckill.testkit;

import io.seckill.contracts.Secrets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Where the servers that {@code ./seckill} starts on loopback are, read from the same
 * {@code SECKILL_*} variables with the same defaults as the script.
 *
 * <p>The {@code require…} methods fail the calling test with the name of the missing server and
 * the command that starts it: a test never passes by skipping.
 */
public record LocalStack(
    String redisHost, int redisPort, String redisPassword,
    String mysqlHost, int mysqlPort, String mysqlDb, String mysqlUser, String mysqlPassword,
    String namesrvAddr,
    String stockUrl, String orderUrl, String gatewayUrl,
    String jwtSecret, String gatewayCredential, String workerCredential,
    List<String> redisNodes) {

  public static LocalStack fromEnv() {
    return fromEnv(System.getenv());
  }

  public static LocalStack fromEnv(Map<String, String> env) {
    int namesrvPort = intVar(env, "SECKILL_NAMESRV_PORT", 19876);
    return new LocalStack(
        env.getOrDefault("SECKILL_REDIS_HOST", "127.0.0.1"),
        intVar(env, "SECKILL_REDIS_PORT", 16379),
        secret(env, "SECKILL_REDIS_PASSWORD"),
        env.getOrDefault("SECKILL_MYSQL_HOST", "127.0.0.1"),
        intVar(env, "SECKILL_MYSQL_PORT", 13306),
        env.getOrDefault("SECKILL_MYSQL_DB", "seckill"),
        env.getOrDefault("SECKILL_MYSQL_USER", "seckill"),
        env.getOrDefault("SECKILL_MYSQL_PASSWORD", "seckill"),
        env.getOrDefault("SECKILL_NAMESRV_ADDR", "127.0.0.1:" + namesrvPort),
        env.getOrDefault("SECKILL_STOCK_URL", "http://127.0.0.1:" + intVar(env, "SECKILL_STOCK_PORT", 8081)),
        env.getOrDefault("SECKILL_ORDER_URL", "http://127.0.0.1:" + intVar(env, "SECKILL_ORDER_PORT", 8082)),
        "http://127.0.0.1:" + intVar(env, "SECKILL_GATEWAY_PORT", 8080),
        secret(env, "SECKILL_JWT_SECRET"),
        secret(env, "SECKILL_GATEWAY_CREDENTIAL"),
        secret(env, "SECKILL_WORKER_CREDENTIAL"),
        java.util.Arrays.stream(env.getOrDefault("SECKILL_REDIS_NODES", "").split(","))
            .map(String::trim).filter(node -> !node.isEmpty()).toList());
  }

  /**
   * Whether the stack's Redis is a Redis Cluster ({@code SECKILL_REDIS_NODES} set, as
   * {@code SECKILL_REDIS_CLUSTER=1 ./seckill up} exports it); the services and the test clients
   * then speak to its nodes, and {@link #redisPort()} is one of them.
   */
  public boolean redisCluster() {
    return !redisNodes.isEmpty();
  }

  /** Every Redis the stack talks to, each with the password: the cluster's seed nodes, or the one node. */
  public List<String> redisConnectionStrings() {
    if (!redisCluster()) {
      return List.of(redisConnectionString());
    }
    String auth = "redis://:" + java.net.URLEncoder.encode(redisPassword, java.nio.charset.StandardCharsets.UTF_8) + "@";
    return redisNodes.stream().map(node -> auth + node).toList();
  }

  /** The {@code Authorization} header value the gateway presents to stock-service and order-worker. */
  public String gatewayAuthorization() {
    return "Bearer " + gatewayCredential;
  }

  /** The {@code Authorization} header value the order-worker presents to stock-service. */
  public String workerAuthorization() {
    return "Bearer " + workerCredential;
  }

  /** A Redis connection string with the password, for test clients. */
  public String redisConnectionString() {
    return "redis://:" + java.net.URLEncoder.encode(redisPassword, java.nio.charset.StandardCharsets.UTF_8)
        + "@" + redisHost + ":" + redisPort;
  }

  public String jdbcUrl() {
    return "jdbc:mysql://" + mysqlHost + ":" + mysqlPort + "/" + mysqlDb
        + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
  }

  public LocalStack requireRedis() {
    if (redisCluster()) {
      for (String node : redisNodes) {
        int colon = node.lastIndexOf(':');
        requireListening("Redis Cluster node", node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)),
            "SECKILL_REDIS_NODES");
      }
      return this;
    }
    requireListening("Redis", redisHost, redisPort, "SECKILL_REDIS_PORT");
    return this;
  }

  public LocalStack requireMysql() {
    requireListening("MariaDB/MySQL", mysqlHost, mysqlPort, "SECKILL_MYSQL_PORT");
    return this;
  }

  public LocalStack requireRocketMq() {
    int colon = namesrvAddr.lastIndexOf(':');
    requireListening("RocketMQ namesrv", namesrvAddr.substring(0, colon),
        Integer.parseInt(namesrvAddr.substring(colon + 1)), "SECKILL_NAMESRV_PORT");
    return this;
  }

  public LocalStack requireInfra() {
    return requireRedis().requireMysql().requireRocketMq();
  }

  /** As {@link #requireInfra}, and fails first unless SECKILL_REDIS_NODES names the local Redis Cluster. */
  public LocalStack requireClusterInfra() {
    if (!redisCluster()) {
      fail("this test needs the local Redis Cluster: SECKILL_REDIS_CLUSTER=1 ./seckill up --infra, "
          + "and SECKILL_REDIS_NODES pointing at it (./seckill test runs it in its cluster pass)");
    }
    return requireInfra();
  }

  private static void requireListening(String what, String host, int port, String variable) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
    } catch (IOException e) {
      fail(what + " is not reachable at " + host + ":" + port + " (" + e.getMessage() + "). "
          + "Start the local stack with `./seckill up --infra` (or run `./seckill test`), "
          + "or point " + variable + " at a running server.");
    }
  }

  /** A secret as the services read it: the variable, else the development value of a local run. */
  private static String secret(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Secrets.localDefault(name) : value;
  }

  private static int intVar(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
