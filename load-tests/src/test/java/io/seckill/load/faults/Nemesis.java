package io.seckill.load.faults;

import io.seckill.load.GatewayClient;
import io.seckill.load.Sale;

import java.time.Instant;
import java.util.Optional;

/**
 * One kind of fault (Jepsen's nemesis): it breaks a part of the running stack, holds the fault,
 * ends it, and puts back whatever it left broken, also when the suite is interrupted.
 */
interface Nemesis {

  /** When the fault began, when it ended (the part is let back: restart, SIGCONT, heal) and when the part ran again. */
  record Window(Instant start, Instant end, Instant back) {
  }

  /** For the report: what this nemesis does, with its durations. */
  String describe();

  /** Before the sale and the load exist: for example, route a service through a proxy. */
  default void prepare(Stack stack, Timeline timeline) {
  }

  /** Injects the fault mid-load, holds it, ends it; returns once the broken part runs again. */
  Window strike(Stack stack, Hold hold, PurchaseLoad load, Timeline timeline);

  /**
   * The operator's documented action once the part is back, if this fault needs one; returns
   * what went wrong, if anything.
   */
  default Optional<String> recover(Sale sale, GatewayClient gateway, String adminToken, Timeline timeline) {
    return Optional.empty();
  }

  /** Puts back whatever this nemesis may still have broken. Idempotent; safe from a shutdown hook. */
  void restore(Stack stack);
}
