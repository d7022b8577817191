package io.seckill.order.messaging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationBacklogTest {

  private static CreationBacklog.Position queue(int id, long max, long consumed) {
    return new CreationBacklog.Position("create/broker-a/" + id, max, consumed);
  }

  @Test
  void caughtUpWhenEveryQueueIsConsumedToItsMaxOffset() {
    CreationBacklog backlog = CreationBacklog.of(List.of(queue(0, 10, 10), queue(1, 0, 0), queue(2, 7, 7)));
    assertTrue(backlog.caughtUp());
    assertEquals(new CreationBacklog(0, 0), backlog);
  }

  @Test
  void noQueuesMeansNothingInFlight() {
    assertTrue(CreationBacklog.of(List.of()).caughtUp());
  }

  @Test
  void countsWhatEachQueueStillHolds() {
    CreationBacklog backlog = CreationBacklog.of(List.of(queue(0, 10, 7), queue(1, 5, 5), queue(2, 9, 8)));
    assertFalse(backlog.caughtUp());
    assertEquals(new CreationBacklog(4, 2), backlog);
    assertTrue(backlog.describe().startsWith("4 creation messages are in the broker but not yet in MySQL (2 queues)"),
        backlog.describe());
  }

  @Test
  void aQueueWithoutAnOffsetOfTheGroupCountsFromZero() {
    CreationBacklog backlog = CreationBacklog.of(List.of(queue(0, 3, -1)));
    assertEquals(new CreationBacklog(3, 1), backlog);
    assertTrue(CreationBacklog.of(List.of(queue(0, 0, -1))).caughtUp(), "an empty queue needs no offset");
  }

  @Test
  void anOffsetAheadOfTheMaxIsCaughtUpNotNegative() {
    // the max is read first; by the time the consumed offset is read, more may have been consumed
    CreationBacklog backlog = CreationBacklog.of(List.of(queue(0, 10, 12), queue(1, 4, 3)));
    assertEquals(new CreationBacklog(1, 1), backlog);
    assertTrue(backlog.describe().startsWith("1 creation message is in the broker but not yet in MySQL (1 queue)"));
  }
}
