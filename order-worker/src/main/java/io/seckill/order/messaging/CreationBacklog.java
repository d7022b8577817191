package io.seckill.order.messaging;

import java.util.List;

/**
 * Whether a consumer group has applied every message its broker holds, from where each queue
 * stands: the broker's max offset (the offset the next message will get) against the group's
 * consumed offset (every message below it has been consumed; the worker commits an offset only
 * after its listener returned, so after MySQL committed). Pure: offsets in, verdict out.
 *
 * @param behind messages the broker holds that the group has not consumed yet, over all queues
 * @param queues how many queues hold such messages
 */
public record CreationBacklog(long behind, int queues) {

  /** Where one queue stands. {@code consumed < 0}: the group has no offset for it (counted from 0). */
  public record Position(String queue, long maxOffset, long consumed) {
  }

  public static CreationBacklog of(List<Position> positions) {
    long behind = 0;
    int queues = 0;
    for (Position p : positions) {
      long left = p.maxOffset() - Math.max(0, p.consumed());
      if (left > 0) {
        behind += left;
        queues++;
      }
    }
    return new CreationBacklog(behind, queues);
  }

  public boolean caughtUp() {
    return behind == 0;
  }

  /** For the operator: what is still to be applied. */
  public String describe() {
    return behind + (behind == 1 ? " creation message is" : " creation messages are") + " in the broker but not yet in MySQL ("
        + queues + (queues == 1 ? " queue" : " queues") + "); a snapshot now would miss their orders. Nothing changed; ask again";
  }
}
