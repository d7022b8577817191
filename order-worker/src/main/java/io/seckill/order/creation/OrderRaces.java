package io.seckill.order.creation;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/** Telling a lost race between writers from a fault, and waiting a little before trying again. */
public final class OrderRaces {

  private OrderRaces() {
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

  /** Jittered, so two writers that collided do not collide again in lockstep. */
  public static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * attempt + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
