package io.seckill.contracts;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

  private static final String NAME = "SECKILL_GATEWAY_CREDENTIAL";

  @Test
  void aLocalRunFallsBackToTheDevelopmentValueOfInfraLocalEnv() {
    String local = Secrets.require(Map.of("SECKILL_ENV", "local"), NAME);
    assertEquals(Secrets.localDefault(NAME), local);
    assertTrue(local.length() >= Secrets.MIN_BYTES);
    for (String name : new String[] {"SECKILL_JWT_SECRET", "SECKILL_WORKER_CREDENTIAL", "SECKILL_REDIS_PASSWORD"}) {
      assertTrue(Secrets.isPlaceholder(Secrets.localDefault(name)), name + " is a development value");
    }
  }

  @Test
  void anyOtherRunRefusesMissingShortAndPublishedSecretsWithoutEchoingThem() {
    var missing = assertThrows(IllegalArgumentException.class, () -> Secrets.require(Map.of(), NAME));
    assertTrue(missing.getMessage().contains(NAME));
    var tooShort = assertThrows(IllegalArgumentException.class,
        () -> Secrets.require(Map.of(NAME, "s3cret-but-short"), NAME));
    assertFalse(tooShort.getMessage().contains("s3cret"), "the message never shows the value");
    assertThrows(IllegalArgumentException.class,
        () -> Secrets.require(Map.of(NAME, Secrets.localDefault(NAME)), NAME));
    assertThrows(IllegalArgumentException.class,
        () -> Secrets.require(Map.of(NAME, "replace-me-with-32-bytes-from-your-vault!!"), NAME));
    String mine = "k7#Qw9!zR2@xL5$mN8^pT1&vB4*cY6(e";
    assertEquals(mine, Secrets.require(Map.of(NAME, mine), NAME));
  }

  @Test
  void aLocalRunStillRefusesAShortExplicitSecret() {
    assertThrows(IllegalArgumentException.class,
        () -> Secrets.require(Map.of("SECKILL_ENV", "local", NAME, "short"), NAME));
  }
}
