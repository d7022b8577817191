package io.seckill.gateway.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8}; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix) {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  /** @throws IllegalArgumentException when {@code text} is not an address literal with an optional prefix */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address block: '" + text + "'");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
    }
    return new Cidr(bytes, prefix);
  }

  /** Whether {@code address} (a textual IP literal) lies in this block. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    if (bytes == null || bytes.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[full] & mask) == (network[full] & mask);
  }

  /** Parses an IP literal without ever resolving a host name (that would block the event loop). */
  static byte[] literal(String address) {
    if (address == null || address.isEmpty() || address.length() > 45 || !LITERAL.matcher(address).matches()) {
      return null;
    }
    if (address.indexOf(':') < 0 && address.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
