package io.seckill.stock.release;

/** What release-3.lua decided (codes in its header). */
public enum ReleaseOutcome {
  RELEASED, ALREADY_RELEASED, UNKNOWN, SALE_ABSENT;

  static ReleaseOutcome fromCode(int code) {
    return switch (code) {
      case 1 -> RELEASED;
      case 0 -> ALREADY_RELEASED;
      case -1 -> UNKNOWN;
      case -2 -> SALE_ABSENT;
      default -> throw new IllegalStateException("release-3.lua answered " + code);
    };
  }
}
