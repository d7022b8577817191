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
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        int code = sql.getErrorCode();
        return code == 1062 || code == 1213 || code == 1205;
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
