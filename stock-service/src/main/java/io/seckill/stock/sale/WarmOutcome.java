package io.seckill.stock.sale;

/** What warm-3.lua decided (codes in its header). */
public enum WarmOutcome {
  CREATED, IDENTICAL, REPLACED, SALE_LIVE;

  static WarmOutcome fromCode(int code) {
    return switch (code) {
      case 1 -> CREATED;
      case 0 -> IDENTICAL;
      case 2 -> REPLACED;
      case -1 -> SALE_LIVE;
      default -> throw new IllegalStateException("warm-3.lua answered " + code);
    };
  }
}
