package io.seckill.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class VerifiedTokensTest {

  private static final Caller ALICE = new Caller("alice", false, Long.MAX_VALUE);
  private static final Caller BOB = new Caller("bob", false, Long.MAX_VALUE);

  @Test
  void remembersATokenByItsExactString() {
    VerifiedTokens tokens = new VerifiedTokens(16);
    tokens.put("a.b.c", ALICE);
    assertSame(ALICE, tokens.get(new String("a.b.c".toCharArray())));
    assertNull(tokens.get("a.b.d"));
  }

  @Test
  void aTokenThatLandsInATakenSlotReplacesItsOccupant() {
    VerifiedTokens tokens = new VerifiedTokens(1);
    tokens.put("a.b.c", ALICE);
    tokens.put("x.y.z", BOB);
    assertSame(BOB, tokens.get("x.y.z"));
    assertNull(tokens.get("a.b.c"), "only one slot: alice's token was pushed out");
  }

  @Test
  void removeTakesOutOnlyThatToken() {
    VerifiedTokens tokens = new VerifiedTokens(1);
    tokens.put("x.y.z", BOB);
    tokens.remove("a.b.c");
    assertSame(BOB, tokens.get("x.y.z"), "another token's removal leaves the slot alone");
    tokens.remove("x.y.z");
    assertNull(tokens.get("x.y.z"));
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwo() {
    assertEquals(1024, new VerifiedTokens(1024).capacity());
    assertEquals(1024, new VerifiedTokens(1000).capacity());
    assertEquals(2, new VerifiedTokens(2).capacity());
    assertEquals(1, new VerifiedTokens(1).capacity());
  }
}
