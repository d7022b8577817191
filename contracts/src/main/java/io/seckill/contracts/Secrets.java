package io.seckill.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a secret setting (JWT secret, service credentials, Redis password) from the environment.
 * A local run ({@code SECKILL_ENV=local}) falls back to the development value from
 * {@code infra/local.env}; any other run refuses to start when the secret is missing, shorter than
 * {@link #MIN_BYTES}, a development value or a "replace-me" placeholder.
 */
public final class Secrets {

  public static final int MIN_BYTES = 32;
  private static final Map<String, String> LOCAL = load();

  private Secrets() {
  }

  /** Whether the settings describe a local run (the only one that may use development secrets). */
  public static boolean isLocal(Map<String, String> env) {
    return "local".equals(env.getOrDefault("SECKILL_ENV", "production"));
  }

  /** The development value of {@code name} (as written in {@code infra/local.env}). */
  public static String localDefault(String name) {
    String value = LOCAL.get(name);
    if (value == null) {
      throw new IllegalStateException("infra/local.env has no " + name);
    }
    return value;
  }

  /**
   * The secret {@code name}.
   *
   * @throws IllegalArgumentException (naming the variable, never its value) when it must not be used
   */
  public static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    boolean local = isLocal(env);
    if (value == null || value.isEmpty()) {
      if (local) {
        return localDefault(name);
      }
      throw new IllegalArgumentException(name + " is required when SECKILL_ENV is not 'local'");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
      throw new IllegalArgumentException(name + " must be at least " + MIN_BYTES + " bytes");
    }
    if (!local && isPlaceholder(value)) {
      throw new IllegalArgumentException(name + " is a published placeholder (a development value or a"
          + " 'replace-me' value): set your own secret, or SECKILL_ENV=local for a local run");
    }
    return value;
  }

  /** A development value from {@code infra/local.env}, or a value such as a manifest's "replace-me-…". */
  public static boolean isPlaceholder(String value) {
    return LOCAL.containsValue(value) || value.toLowerCase(Locale.ROOT).contains("replace-me");
  }

  private static Map<String, String> load() {
    Map<String, String> values = new HashMap<>();
    try (InputStream in = Secrets.class.getResourceAsStream("local.env")) {
      if (in == null) {
        throw new IllegalStateException("io/seckill/contracts/local.env is missing from the classpath");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String trimmed = line.strip();
        int eq = trimmed.indexOf('=');
        if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
          values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read local.env", e);
    }
    return Map.copyOf(values);
  }
}
