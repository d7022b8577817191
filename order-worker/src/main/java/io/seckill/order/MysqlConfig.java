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
   * UTC so DATETIME(3) columns hold UTC whatever the server's zone.
   */
  public String jdbcUrl() {
    return "jdbc:mysql://" + host + ":" + port + "/" + database
        + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true"
        + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
        + "&cachePrepStmts=true&useServerPrepStmts=false&tcpKeepAlive=true";
  }
}
