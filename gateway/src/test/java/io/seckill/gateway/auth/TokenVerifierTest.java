package io.seckill.gateway.auth;

import io.seckill.gateway.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
  private static Vertx vertx;
  private static TokenVerifier verifier;
  private final Tokens tokens = new Tokens(SECRET);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    verifier = new TokenVerifier(vertx, SECRET, 1_000);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptsAValidTokenAndReadsTheAdminRole() throws Exception {
    Caller alice = await(verifier.verify("Bearer " + tokens.user("alice")));
    assertEquals("alice", alice.userId());
    assertFalse(alice.admin());
    assertTrue(await(verifier.verify("Bearer " + tokens.admin("root"))).admin());
    // The second verification of the same token comes from the cache and says the same.
    assertEquals(alice.userId(), await(verifier.verify("Bearer " + tokens.user("alice"))).userId());
  }

  @Test
  void refusesAlgNoneOtherAlgorithmsForgedExpiredAndMalformedTokens() {
    JsonObject claims = Tokens.claims("mallory", true, 3600);
    refused(null);
    refused("Basic abc");
    refused("Bearer ");
    refused("Bearer not.a.jwt");
    refused("Bearer onlyonepart");
    refused("Bearer " + Tokens.unsecured(claims));
    refused("Bearer " + tokens.hs512(claims));
    refused("Bearer " + Tokens.signed(new JsonObject().put("alg", "HS256"), claims, "another-secret-of-enough-length-0123456789"));
    refused("Bearer " + tokens.signed(Tokens.claims("mallory", false, -60)));
    refused("Bearer " + tokens.signed(new JsonObject().put("sub", "mallory")));
    refused("Bearer " + tokens.signed(Tokens.claims("../etc/passwd", false, 3600)));
    refused("Bearer " + tokens.signed(Tokens.claims("ünïcode", false, 3600)));
    refused("Bearer " + tokens.signed(Tokens.claims("x", false, 3600).put("sub", 42)));
    String valid = tokens.user("alice");
    refused("Bearer " + valid.substring(0, valid.length() - 2) + "xx");
  }

  private static void refused(String header) {
    Future<Caller> result = verifier.verify(header);
    try {
      result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      throw new AssertionError("accepted: " + header);
    } catch (java.util.concurrent.ExecutionException e) {
      assertInstanceOf(TokenVerifier.BadToken.class, e.getCause(), header);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
