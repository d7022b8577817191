package io.seckill.contracts.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret one calling service presents on every internal request, as
 * {@code Authorization: Bearer <secret>}. Each caller has its own secret, so the callee knows who
 * calls and may allow each caller only the routes it needs; a leaked secret is rotated for one
 * caller alone.
 *
 * @param caller the calling service's name ({@code gateway}, {@code order-worker})
 */
public record ServiceCredential(String caller, String secret) {

  public static final String GATEWAY = "gateway";
  public static final String ORDER_WORKER = "order-worker";

  /** The value of the {@code Authorization} header the caller sends. */
  public String authorization() {
    return "Bearer " + secret;
  }

  /**
   * Whether {@code presented} is this credential's secret, in time that does not depend on where
   * the two differ: both sides are hashed first, so even their lengths leak nothing.
   */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(sha256(presented), sha256(secret));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
