package io.seckill.gateway.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * The client address the per-IP limit counts. {@code X-Forwarded-For} is believed only when the
 * connection comes from a trusted proxy; otherwise any client could pick a fresh address per
 * request and never be limited.
 */
public final class ClientAddress {

  private final List<Cidr> trustedProxies;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  public String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (trustedProxies.isEmpty() || !trusted(peer)) {
      return peer;
    }
    return resolve(peer, request.getHeader("X-Forwarded-For"));
  }

  /**
   * Walks {@code X-Forwarded-For} from the right (the hop nearest to us) and returns the first
   * address that is not one of our proxies: entries further left were written by the client and
   * could be anything.
   */
  String resolve(String peer, String forwardedFor) {
    if (forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (Cidr.literal(hop) == null) {
        return peer;
      }
      if (!trusted(hop)) {
        return hop;
      }
    }
    return hops[0].trim();
  }

  private boolean trusted(String address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
