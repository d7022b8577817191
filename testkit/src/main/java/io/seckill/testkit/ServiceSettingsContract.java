package io.seckill.testkit;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks every internal service's config test (stock-service, order-worker) makes the same
 * way; the test implements it. Its settings, read with {@code fromEnv}, refuse missing, short and
 * placeholder service credentials outside a local run and bind to loopback unless told otherwise.
 */
public interface ServiceSettingsContract {

  /** {@code fromEnv(env).bindHost()}: throws IllegalArgumentException where the service would refuse to start. */
  String bindHost(Map<String, String> env);

  /** A local run's settings ({@code SECKILL_ENV=local}: development credentials) plus {@code pairs}. */
  static Map<String, String> local(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SECKILL_ENV", "local");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  default void refusesToStartWithoutServiceCredentialsOutsideALocalRun() {
    var missing = assertThrows(IllegalArgumentException.class, () -> bindHost(Map.of()));
    assertTrue(missing.getMessage().contains("SECKILL_GATEWAY_CREDENTIAL"), missing.getMessage());
    Map<String, String> shortOnes = Map.of("SECKILL_GATEWAY_CREDENTIAL", "short", "SECKILL_WORKER_CREDENTIAL", "x".repeat(40),
        "SECKILL_REDIS_PASSWORD", "y".repeat(40), "SECKILL_MYSQL_PASSWORD", "z".repeat(40));
    var tooShort = assertThrows(IllegalArgumentException.class, () -> bindHost(shortOnes));
    assertTrue(tooShort.getMessage().contains("at least 32 bytes"), tooShort.getMessage());
    Map<String, String> placeholder = Map.of("SECKILL_GATEWAY_CREDENTIAL", "replace-me-with-32-random-bytes-from-a-vault",
        "SECKILL_WORKER_CREDENTIAL", "x".repeat(40), "SECKILL_REDIS_PASSWORD", "y".repeat(40));
    assertThrows(IllegalArgumentException.class, () -> bindHost(placeholder));
  }

  @Test
  default void bindsToLoopbackUnlessTold() {
    assertEquals("127.0.0.1", bindHost(local()));
    assertEquals("0.0.0.0", bindHost(local("SECKILL_BIND_HOST", "0.0.0.0")));
  }
}
