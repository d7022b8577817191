package io.seckill.order.support;

import io.seckill.testkit.LocalStack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads what the worker wrote, straight from MySQL. */
public final class Mysql {

  private static final LocalStack STACK = LocalStack.fromEnv();

  private Mysql() {
  }

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(STACK.jdbcUrl() + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true",
        STACK.mysqlUser(), STACK.mysqlPassword());
  }

  /** A sale row of {@code stock} units, all available, open for an hour, written straight to MySQL. */
  public static void insertSale(String saleId, int stock) throws SQLException {
    try (Connection c = connect(); java.sql.PreparedStatement insert = c.prepareStatement(
        "INSERT INTO sale (id, item, stock, per_user_limit, starts_at, ends_at, payment_window_seconds, available,"
            + " version, created_at, updated_at) VALUES (?, 'x', ?, 5, NOW(3), NOW(3) + INTERVAL 1 HOUR, 600, ?, 0, NOW(3), NOW(3))")) {
      insert.setString(1, saleId);
      insert.setInt(2, stock);
      insert.setInt(3, stock);
      insert.executeUpdate();
    }
  }

  public static long orders(String saleId) throws SQLException {
    return single("SELECT COUNT(*) FROM orders WHERE sale_id = ?", saleId);
  }

  public static long available(String saleId) throws SQLException {
    return single("SELECT available FROM sale WHERE id = ?", saleId);
  }

  /** status → units of that status. */
  public static Map<String, Long> unitsByStatus(String saleId) throws SQLException {
    Map<String, Long> units = new HashMap<>();
    forEachRow("SELECT status, SUM(quantity) FROM orders WHERE sale_id = ? GROUP BY status", saleId,
        rows -> units.put(rows.getString(1), rows.getLong(2)));
    return units;
  }

  /** order id → status. */
  public static Map<String, String> statuses(String saleId) throws SQLException {
    Map<String, String> statuses = new HashMap<>();
    forEachRow("SELECT id, status FROM orders WHERE sale_id = ?", saleId,
        rows -> statuses.put(rows.getString(1), rows.getString(2)));
    return statuses;
  }

  /** What reads one row of a result. */
  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private static void forEachRow(String sql, String param, RowReader reader) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          reader.read(rows);
        }
      }
    }
  }

  public static String status(String orderId) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
      s.setString(1, orderId);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** What MySQL holds of a sale, for a failure message: units per status, or why it cannot say. */
  public static String summary(String saleId) {
    try {
      return "orders of " + saleId + " in MySQL: " + orders(saleId) + ", units by status " + unitsByStatus(saleId);
    } catch (SQLException e) {
      return "MySQL unreadable: " + e;
    }
  }

  private static long single(String sql, String param) throws SQLException {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rows = s.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("no row for " + sql + " / " + param);
        }
        return rows.getLong(1);
      }
    }
  }
}
