package io.seckill.order;

import java.util.Map;

/** Where MySQL (or MariaDB) is, and how many connections the worker may hold. */
public record MysqlConfig(String host, int port, String database, String user, String password, int poolSize) {

  public static MysqlConfig fromEnv(Map<String, String> env) {
    return new MysqlConfig(
        Env.string(env, "SECKILL_MYSQL_HOST", "127.0.0.1"),
        Env.integer(env, "SECKILL_MYSQL_PORT", 13306, 1, 65535),
        Env.string(env, "SECKILL_MYSQL_DB", "seckill"),
        Env.string(env, "SECKILL_MYSQL_USER", "seckill"),
        Env.string(env, "SECKILL_MYSQL_PASSWORD", "seckill"),
        Env.integer(env, "SECKILL_ORDER_DB_POOL", 8, 2, 64));
  }

  /**
   * Batched inserts are rewritten into multi-row statements; the session time zone is forced to
   * UTC so DATETIME(3) columns hold UTC whatever the server's zone. A server that stops answering
   * (hung, or the network dropping packets) fails a statement after {@link #SOCKET_TIMEOUT_MS}
   * instead of parking the thread for ever: the work is then retried like any other fault. Every
   * statement the worker sends takes milliseconds; the migrations, which may not, use
   * {@link #migrationUrl()}.
   */
  public String jdbcUrl() {
    return migrationUrl() + "&connectTimeout=" + CONNECT_TIMEOUT_MS + "&socketTimeout=" + SOCKET_TIMEOUT_MS;
  }

  /** As {@link #jdbcUrl()} without the socket timeout: an index built on a large table takes minutes. */
  public String migrationUrl() {
    return "jdbc:mysql://" + host + ":" + port + "/" + database
        + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true"
        + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
        + "&cachePrepStmts=true&useServerPrepStmts=false&tcpKeepAlive=true";
  }

  static final int CONNECT_TIMEOUT_MS = 5_000;
  static final int SOCKET_TIMEOUT_MS = 15_000;
}
