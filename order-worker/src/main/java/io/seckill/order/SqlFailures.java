package io.seckill.order;

import java.sql.SQLException;

/**
 * What a MySQL failure means for the work that met it: a lost race between writers (decide again
 * on fresh rows at once), a refusal of the data itself (trying again can never succeed), or,
 * anything else, a fault that can pass (a dropped connection, a timeout, a server restarting).
 */
public final class SqlFailures {

  private SqlFailures() {
  }

  /**
   * Lost races, not faults: a duplicate key (another writer inserted the same order first), a
   * deadlock or a lock wait timeout. A CHECK violation is SQLState 23000 too, but code 4025.
   */
  public static boolean isRace(Throwable e) {
    return hasCode(e, 1062, 1213, 1205);
  }

  /** A duplicate key: the order (or a timeout's tombstone of it) is already in MySQL. */
  public static boolean isDuplicate(Throwable e) {
    return hasCode(e, 1062);
  }

  /**
   * The server refused the data: SQLState class 22 (data exception: too long, out of range) or
   * class 23 other than a duplicate key (a CHECK or foreign key). The same statement fails the
   * same way every time. Consumers validate messages before they reach SQL, so this means a
   * message that slipped through validation, or a bug; everything else is retried.
   */
  public static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("22") || state.startsWith("23") && sql.getErrorCode() != 1062) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every SQLException of the chain counts: a batch failure wraps the statement's own. */
  private static boolean hasCode(Throwable e, int... codes) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (int code : codes) {
          if (sql.getErrorCode() == code) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
