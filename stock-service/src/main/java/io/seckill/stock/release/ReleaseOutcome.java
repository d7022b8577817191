package io.seckill.stock.release;

/** What release-3.lua decided (codes in its header). */
public enum ReleaseOutcome {
  RELEASED, ALREADY_RELEASED, UNKNOWN;

  static ReleaseOutcome fromCode(int code) {
    return switch (code) {
      case 1 -> RELEASED;
      case 0 -> ALREADY_RELEASED;
      case -1 -> UNKNOWN;
      default -> throw new IllegalStateException("release-3.lua answered " + code);
    };
  }
}
