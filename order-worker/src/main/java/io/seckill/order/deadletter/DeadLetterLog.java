package io.seckill.order.deadletter;

import io.seckill.order.Database;

import java.time.Instant;
import java.util.List;

/** The MySQL record of dead letters. Blocking. */
public final class DeadLetterLog {

  private final Database database;

  public DeadLetterLog(Database database) {
    this.database = database;
  }

  /** True when recorded now, false when this dead letter was recorded before (a redelivery). */
  public boolean record(DeadLetterRow row) {
    return database.inTransaction(s -> s.getMapper(DeadLetterMapper.class).insert(row)) == 1;
  }

  /** Up to {@code limit} dead letters with an id above {@code after}, oldest first. */
  public List<DeadLetterRow> page(long after, int limit) {
    return database.read(s -> s.getMapper(DeadLetterMapper.class).page(after, limit));
  }

  public DeadLetterRow find(long id) {
    return database.read(s -> s.getMapper(DeadLetterMapper.class).find(id));
  }

  /** False when it was already marked (another replay got there first). */
  public boolean markReplayed(long id, Instant now) {
    return database.inTransaction(s -> s.getMapper(DeadLetterMapper.class).markReplayed(id, now)) == 1;
  }

  public long unreplayed() {
    return database.read(s -> s.getMapper(DeadLetterMapper.class).countUnreplayed());
  }
}
