package io.seckill.order;

import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlFailuresTest {

  @Test
  void duplicateKeyDeadlockAndLockWaitAreRaces() {
    assertTrue(SqlFailures.isRace(new PersistenceException(new SQLIntegrityConstraintViolationException("dup", "23000", 1062))));
    assertTrue(SqlFailures.isRace(new PersistenceException(new SQLException("deadlock", "40001", 1213))));
    assertTrue(SqlFailures.isRace(new PersistenceException(new SQLException("lock wait", "HY000", 1205))));
  }

  @Test
  void aCheckViolationOrALostConnectionIsNoRace() {
    assertFalse(SqlFailures.isRace(new PersistenceException(new SQLIntegrityConstraintViolationException("check", "23000", 4025))));
    assertFalse(SqlFailures.isRace(new PersistenceException(new SQLException("gone", "08S01", 0))));
    assertFalse(SqlFailures.isRace(new IllegalStateException("no SQL at all")));
  }

  @Test
  void dataTooLongAndACheckViolationAreRefusals() {
    assertTrue(SqlFailures.isRefusal(new PersistenceException(new SQLException("Data too long for column 'user_id'", "22001", 1406))));
    assertTrue(SqlFailures.isRefusal(new PersistenceException(
        new BatchUpdateException("batch", new int[0], new SQLIntegrityConstraintViolationException("check", "23000", 4025)))));
  }

  @Test
  void faultsThatCanPassAndDuplicatesAreNoRefusal() {
    assertFalse(SqlFailures.isRefusal(new PersistenceException(new SQLException("Communications link failure", "08S01", 0))));
    assertFalse(SqlFailures.isRefusal(new PersistenceException(new SQLTransientConnectionException("pool timed out", "08001"))));
    assertFalse(SqlFailures.isRefusal(new PersistenceException(new SQLException("read only", "HY000", 1290))));
    assertFalse(SqlFailures.isRefusal(new PersistenceException(new SQLIntegrityConstraintViolationException("dup", "23000", 1062))));
    assertFalse(SqlFailures.isRefusal(new IllegalStateException("no SQL at all")));
  }
}
