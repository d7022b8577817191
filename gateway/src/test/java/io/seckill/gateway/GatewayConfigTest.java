package io.seckill.gateway;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {

  private final List<String> warnings = new ArrayList<>();

  @Test
  void refusesToStartWithoutSecretOutsideLocalRuns() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.fromEnv(Map.of("SECKILL_ENV", "production"), warnings::add));
    assertTrue(e.getMessage().contains("SECKILL_JWT_SECRET"));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(), warnings::add));
  }

  @Test
  void usesTheDevelopmentSecretOnlyInLocalRuns() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of("SECKILL_ENV", "local"), warnings::add);
    assertTrue(config.usesDevSecret());
  }

  @Test
  void refusesPublishedPlaceholderSecretsOutsideLocalRuns() {
    for (String placeholder : List.of(GatewayConfig.DEV_JWT_SECRET, "replace-me-with-at-least-32-random-bytes-from-your-idp")) {
      var e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
          Map.of("SECKILL_ENV", "production", "SECKILL_JWT_SECRET", placeholder), warnings::add));
      assertTrue(e.getMessage().contains("placeholder"), e.getMessage());
    }
    GatewayConfig local = GatewayConfig.fromEnv(
        Map.of("SECKILL_ENV", "local", "SECKILL_JWT_SECRET", GatewayConfig.DEV_JWT_SECRET), warnings::add);
    assertTrue(local.usesDevSecret(), "a local run may use the development secret");
  }

  @Test
  void refusesShortSecrets() {
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_ENV", "local", "SECKILL_JWT_SECRET", "too-short"), warnings::add));
  }

  @Test
  void readsDefaultsMatchingTheStackScript() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of("SECKILL_JWT_SECRET", "x".repeat(32),
        "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32), "SECKILL_POW_SECRET", "p".repeat(32)), warnings::add);
    assertEquals(8080, config.port());
    assertEquals(60, config.botDefense().challengeTtlSeconds());
    assertEquals(60, config.botDefense().ticketTtlSeconds());
    assertEquals("http://127.0.0.1:8081", config.stockUrl().toString());
    assertEquals("http://127.0.0.1:8082", config.orderUrl().toString());
    assertEquals(List.of(), config.trustedProxies());
    assertTrue(config.ratePerSale() > 0 && config.ratePerUser() > 0 && config.ratePerIp() > 0);
  }

  @Test
  void zeroTurnsALimitOffAndSillyValuesAreClampedWithAWarning() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of("SECKILL_JWT_SECRET", "x".repeat(32), "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32),
        "SECKILL_POW_SECRET", "p".repeat(32), "SECKILL_RATE_PER_IP", "0", "SECKILL_RATE_PER_USER", "-5", "SECKILL_SOLDOUT_PROBE_MS", "1"), warnings::add);
    assertEquals(0, config.ratePerIp());
    assertEquals(0, config.ratePerUser());
    assertEquals(50, config.soldOutProbeMillis());
    assertEquals(2, warnings.size(), warnings.toString());
  }

  @Test
  void refusesMalformedUrlsNumbersAndProxies() {
    String secret = "x".repeat(32);
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret, "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32), "SECKILL_STOCK_URL", "ftp://x"), warnings::add));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret, "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32), "SECKILL_GATEWAY_PORT", "eighty"), warnings::add));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret, "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32), "SECKILL_TRUSTED_PROXIES", "10.0.0.0/99"), warnings::add));
  }

  @Test
  void refusesAMissingShortOrPlaceholderServiceCredentialOutsideLocalRuns() {
    String secret = "x".repeat(32);
    var missing = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret), warnings::add));
    assertTrue(missing.getMessage().contains("SECKILL_GATEWAY_CREDENTIAL"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret, "SECKILL_GATEWAY_CREDENTIAL", "short"), warnings::add));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(
        Map.of("SECKILL_JWT_SECRET", secret, "SECKILL_GATEWAY_CREDENTIAL", "replace-me-with-a-long-random-credential"),
        warnings::add));
  }

  @Test
  void refusesAMissingShortOrPlaceholderProofOfWorkSecretOutsideLocalRuns() {
    Map<String, String> base = Map.of("SECKILL_JWT_SECRET", "x".repeat(32), "SECKILL_GATEWAY_CREDENTIAL", "c".repeat(32));
    var missing = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(base, warnings::add));
    assertTrue(missing.getMessage().contains("SECKILL_POW_SECRET"), missing.getMessage());
    for (String bad : new String[] {"short", "replace-me-proof-of-work-secret-32-random-bytes"}) {
      Map<String, String> env = new java.util.HashMap<>(base);
      env.put("SECKILL_POW_SECRET", bad);
      assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env, warnings::add), bad);
    }
  }

  @Test
  void bindsToLoopbackAndReadsIssuerAndAudienceWhenSet() {
    GatewayConfig plain = GatewayConfig.fromEnv(Map.of("SECKILL_ENV", "local"), warnings::add);
    assertEquals("127.0.0.1", plain.bindHost());
    assertEquals(9080, plain.managementPort());
    assertEquals(null, plain.jwtIssuer());
    GatewayConfig set = GatewayConfig.fromEnv(Map.of("SECKILL_ENV", "local", "SECKILL_BIND_HOST", "0.0.0.0",
        "SECKILL_JWT_ISSUER", "https://id.example", "SECKILL_JWT_AUDIENCE", "seckill"), warnings::add);
    assertEquals("0.0.0.0", set.bindHost());
    assertEquals("https://id.example", set.jwtIssuer());
    assertEquals("seckill", set.jwtAudience());
  }
}
