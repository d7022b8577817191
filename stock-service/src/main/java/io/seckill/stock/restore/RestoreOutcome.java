package io.seckill.stock.restore;

/** What restore-7.lua decided (codes in its header). */
public enum RestoreOutcome {
  RESTORED, SALE_LIVE, INCOMPLETE;

  static RestoreOutcome fromCode(int code) {
    return switch (code) {
      case 1 -> RESTORED;
      case -1 -> SALE_LIVE;
      case -2 -> INCOMPLETE;
      default -> throw new IllegalStateException("restore-7.lua answered " + code);
    };
  }
}
