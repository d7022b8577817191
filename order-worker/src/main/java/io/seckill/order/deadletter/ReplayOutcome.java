package io.seckill.order.deadletter;

/** What a replay request came to. */
public sealed interface ReplayOutcome {

  /** The body went back to its source topic now; the row is marked replayed. */
  record Replayed(DeadLetterRow row) implements ReplayOutcome { }

  /** It was replayed before: nothing is published again. */
  record AlreadyReplayed(DeadLetterRow row) implements ReplayOutcome { }

  /** Its source topic is none this system consumes (missing, or unknown): nothing to publish to. */
  record NotReplayable(DeadLetterRow row) implements ReplayOutcome { }

  /** No dead letter with this id. */
  record NotFound() implements ReplayOutcome { }
}
