package io.seckill.order.creation;

/** Another writer moved the sale row since we read it: roll back and try again. */
final class StaleVersion extends RuntimeException {

  StaleVersion() {
    super(null, null, false, false);
  }
}
