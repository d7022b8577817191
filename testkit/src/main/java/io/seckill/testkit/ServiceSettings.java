package io.seckill.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the internal services' config tests (stock-service, order-worker) check the same way:
 * their settings read with {@code fromEnv}, which refuses missing, short and placeholder service
 * credentials outside a local run and binds to loopback unless told otherwise.
 */
public final class ServiceSettings {

  private ServiceSettings() {
  }

  /** A local run's settings ({@code SECKILL_ENV=local}: development credentials) plus {@code pairs}. */
  public static Map<String, String> local(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_ENV", "local");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** {@code fromEnv} refuses to start without service credentials outside a local run. */
  public static void assertRefusesMissingOrWeakCredentials(Function<Map<String, String>, ?> fromEnv) {
    var missing = assertThrows(IllegalArgumentException.class, () -> fromEnv.apply(Map.of()));
    assertTrue(missing.getMessage().contains("SECKILL_GATEWAY_CREDENTIAL"), missing.getMessage());
    Map<String, String> shortOnes = Map.of("SECKILL_GATEWAY_CREDENTIAL", "short", "SECKILL_WORKER_CREDENTIAL", "x".repeat(40),
        "SECKILL_REDIS_PASSWORD", "y".repeat(40), "SECKILL_MYSQL_PASSWORD", "z".repeat(40));
    var tooShort = assertThrows(IllegalArgumentException.class, () -> fromEnv.apply(shortOnes));
    assertTrue(tooShort.getMessage().contains("at least 32 bytes"), tooShort.getMessage());
    Map<String, String> placeholder = Map.of("SECKILL_GATEWAY_CREDENTIAL", "replace-me-with-32-random-bytes-from-a-vault",
        "SECKILL_WORKER_CREDENTIAL", "x".repeat(40), "SECKILL_REDIS_PASSWORD", "y".repeat(40));
    assertThrows(IllegalArgumentException.class, () -> fromEnv.apply(placeholder));
  }

  /** The bind host {@code fromEnv} reads: loopback unless SECKILL_BIND_HOST says otherwise. */
  public static void assertBindsToLoopbackUnlessTold(Function<Map<String, String>, String> bindHost) {
    assertEquals("127.0.0.1", bindHost.apply(local()));
    assertEquals("0.0.0.0", bindHost.apply(local("SECKILL_BIND_HOST", "0.0.0.0")));
  }
}
