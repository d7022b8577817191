package io.seckill.stock.release;

/** What release-4.lua decided (codes in its header). */
public enum ReleaseOutcome {
  RELEASED, ALREADY_RELEASED, UNKNOWN, SALE_ABSENT, RETIRED;

  static ReleaseOutcome fromCode(int code) {
    return switch (code) {
      case 1 -> RELEASED;
      case 0 -> ALREADY_RELEASED;
      case -1 -> UNKNOWN;
      case -2 -> SALE_ABSENT;
      case -3 -> RETIRED;
      default -> throw new IllegalStateException("release-4.lua answered " + code);
    };
  }
}
