package io.seckill.order.creation;

import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderRacesTest {

  @Test
  void duplicateKeyDeadlockAndLockWaitAreRaces() {
    assertTrue(OrderRaces.isRace(new PersistenceException(new SQLIntegrityConstraintViolationException("dup", "23000", 1062))));
    assertTrue(OrderRaces.isRace(new PersistenceException(new SQLException("deadlock", "40001", 1213))));
    assertTrue(OrderRaces.isRace(new PersistenceException(new SQLException("lock wait", "HY000", 1205))));
  }

  @Test
  void aCheckViolationOrALostConnectionIsAFault() {
    assertFalse(OrderRaces.isRace(new PersistenceException(new SQLIntegrityConstraintViolationException("check", "23000", 4025))));
    assertFalse(OrderRaces.isRace(new PersistenceException(new SQLException("gone", "08S01", 0))));
    assertFalse(OrderRaces.isRace(new IllegalStateException("no SQL at all")));
  }
}
