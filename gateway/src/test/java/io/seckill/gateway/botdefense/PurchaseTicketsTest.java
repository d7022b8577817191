package io.seckill.gateway.botdefense;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.seckill.gateway.botdefense.PurchaseTickets.Check.EXPIRED;
import static io.seckill.gateway.botdefense.PurchaseTickets.Check.MALFORMED;
import static io.seckill.gateway.botdefense.PurchaseTickets.Check.NOT_ISSUED_HERE;
import static io.seckill.gateway.botdefense.PurchaseTickets.Check.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PurchaseTicketsTest {

  private static final Instant NOW = Instant.parse("2026-12-24T10:00:00Z");
  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);

  private static PurchaseTickets at(Instant now) {
    return new PurchaseTickets(KEY, 60, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTicketIsValidForItsUserAndSaleUntilItExpires() {
    String ticket = at(NOW).issue("s-1", "alice").ticket();
    assertEquals(VALID, at(NOW).check(ticket, "s-1", "alice"));
    assertEquals(VALID, at(NOW.plusSeconds(59)).check(ticket, "s-1", "alice"));
    assertEquals(EXPIRED, at(NOW.plusSeconds(60)).check(ticket, "s-1", "alice"));
  }

  @Test
  void anotherUsersOrSalesTicketFailsItsHmac() {
    String ticket = at(NOW).issue("s-1", "alice").ticket();
    assertEquals(NOT_ISSUED_HERE, at(NOW).check(ticket, "s-1", "bob"));
    assertEquals(NOT_ISSUED_HERE, at(NOW).check(ticket, "s-2", "alice"));
    // fields cannot be shifted between sale and user
    assertEquals(NOT_ISSUED_HERE, at(NOW).check(at(NOW).issue("s", "1alice").ticket(), "s-1", "alice"));
  }

  @Test
  void aForgedOrStretchedTicketIsRefused() {
    String ticket = at(NOW).issue("s-1", "alice").ticket();
    String mac = ticket.substring(ticket.indexOf('.'));
    long expires = Long.parseLong(ticket.substring(0, ticket.indexOf('.')));
    assertEquals(NOT_ISSUED_HERE, at(NOW).check((expires + 3600) + mac, "s-1", "alice"), "a later expiry breaks the HMAC");
    PurchaseTickets otherKey = new PurchaseTickets("x".repeat(32).getBytes(StandardCharsets.UTF_8), 60,
        Clock.fixed(NOW, ZoneOffset.UTC));
    assertEquals(NOT_ISSUED_HERE, at(NOW).check(otherKey.issue("s-1", "alice").ticket(), "s-1", "alice"));
    char last = ticket.charAt(ticket.length() - 1);
    String flipped = ticket.substring(0, ticket.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertEquals(NOT_ISSUED_HERE, at(NOW).check(flipped, "s-1", "alice"));
  }

  @Test
  void malformedTicketsAreMalformed() {
    for (String bad : new String[] {"", ".", "abc", "12.", "x" + "." + "A".repeat(43), "1.2.3",
        "1234567890123." + "A".repeat(43), "12." + "*".repeat(43), "-1." + "A".repeat(43)}) {
      assertEquals(MALFORMED, at(NOW).check(bad, "s-1", "alice"), bad);
    }
  }
}
