package io.seckill.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256-0123456789";
  private final Tokens tokens = new Tokens(SECRET, Duration.ofMinutes(10));

  @Test
  void userTokenIsHs256SignedWithTheSecretAndNamesTheUser() throws Exception {
    String[] parts = tokens.user("alice").split("\\.");
    assertEquals(3, parts.length);
    assertEquals(signature(SECRET, parts[0] + "." + parts[1]), parts[2]);
    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    assertEquals("HS256", header.path("alg").asText());
    assertEquals("alice", claims.path("sub").asText());
    assertEquals(0, claims.path("roles").size());
    assertTrue(claims.path("exp").asLong() > Instant.now().getEpochSecond());
  }

  @Test
  void adminTokenCarriesTheAdminRole() throws Exception {
    JsonNode claims = decode(tokens.admin("root").split("\\.")[1]);
    assertEquals("admin", claims.path("roles").path(0).asText());
  }

  @Test
  void expiredTokenIsCorrectlySignedButPastItsExpiry() throws Exception {
    String[] parts = tokens.expired("bob").split("\\.");
    assertEquals(signature(SECRET, parts[0] + "." + parts[1]), parts[2]);
    assertTrue(decode(parts[1]).path("exp").asLong() < Instant.now().getEpochSecond());
  }

  @Test
  void forgedTokenIsNotSignedWithTheSecret() {
    String[] parts = tokens.forged("mallory").split("\\.");
    assertNotEquals(signature(SECRET, parts[0] + "." + parts[1]), parts[2]);
  }

  @Test
  void unsignedTokenHasAlgNoneAndNoSignature() throws Exception {
    String token = tokens.unsigned("mallory");
    assertTrue(token.endsWith("."));
    assertEquals("none", decode(token.split("\\.")[0]).path("alg").asText());
  }

  private static JsonNode decode(String part) throws Exception {
    return GatewayClient.JSON.readTree(Base64.getUrlDecoder().decode(part));
  }

  private static String signature(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
