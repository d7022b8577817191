package io.seckill.stock.reservation;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Order ids {@code <saleId>.<ULID>}: 48 bits of epoch milliseconds then 80 random bits, in
 * Crockford base32 (26 characters), so ids sort by creation time and never collide in practice.
 */
public final class OrderIds {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private OrderIds() {
  }

  public static String next(String saleId) {
    return saleId + "." + ulid(System.currentTimeMillis());
  }

  static String ulid(long millis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long randomHigh = random.nextLong() & 0xFFFFL; // 16 bits
    long randomLow = random.nextLong();             // 64 bits
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80 random bits = 16 characters: the low 64 bits give 12 full characters plus 4 bits,
    // which join the 16 high bits for the remaining 4 characters.
    for (int i = 25; i >= 14; i--) {
      out[i] = ALPHABET[(int) (randomLow & 31)];
      randomLow >>>= 5;
    }
    long rest = (randomHigh << 4) | (randomLow & 0xF);
    for (int i = 13; i >= 10; i--) {
      out[i] = ALPHABET[(int) (rest & 31)];
      rest >>>= 5;
    }
    return new String(out);
  }
}
