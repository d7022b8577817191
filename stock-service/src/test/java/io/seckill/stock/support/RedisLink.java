package io.seckill.stock.support;

import io.seckill.testkit.ServiceProcess;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.netcrusher.NetFreezer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.netcrusher.core.throttle.Throttler;

/**
 * A TCP proxy on loopback between stock-service and one Redis node (NetCrusher), to break the link
 * as a network does: {@link #partition()} freezes it (no byte moves either way, no new connection
 * gets past the kernel's backlog, the sockets stay open), {@link #reset()} drops every connection
 * at once, {@link #heal()} lets bytes through again.
 */
public final class RedisLink implements AutoCloseable {

  private final NioReactor reactor;
  private final TcpCrusher crusher;
  private final int port;
  private final AtomicLong delayNanos;

  private RedisLink(NioReactor reactor, TcpCrusher crusher, int port, AtomicLong delayNanos) {
    this.delayNanos = delayNanos;
    this.reactor = reactor;
    this.crusher = crusher;
    this.port = port;
  }

  /** A proxy on a free loopback port in front of {@code host:targetPort}. */
  public static RedisLink open(String host, int targetPort) {
    int port = ServiceProcess.freePort();
    try {
      AtomicLong delay = new AtomicLong();
      NioReactor reactor = new NioReactor(10);
      TcpCrusher crusher = TcpCrusherBuilder.builder()
          .withReactor(reactor)
          .withBindAddress("127.0.0.1", port)
          .withConnectAddress(host, targetPort)
          // on the way to Redis only, so one round trip gets exactly the added latency
          .withOutgoingThrottlerFactory(client -> buffer -> delay.get() > 0 ? delay.get() : Throttler.NO_DELAY_NS)
          .buildAndOpen();
      return new RedisLink(reactor, crusher, port, delay);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy to " + host + ":" + targetPort + ": " + e, e);
    }
  }

  public int port() {
    return port;
  }

  /** Connections opened through the proxy so far and still up. */
  public int connections() {
    return crusher.getClientAddresses().size();
  }

  /** Adds {@code latency} to every round trip from now on (zero: none). */
  public void latency(Duration latency) {
    delayNanos.set(latency.toNanos());
  }

  public void partition() {
    if (!crusher.isFrozen()) {
      crusher.freeze();
    }
  }

  /**
   * Heals the link for new connections only: every connection open now stays frozen for good, as
   * when the partition healed on a path the old sockets no longer have (a NAT or a load balancer
   * that forgot them, a server behind the address that changed): their packets vanish, and TCP
   * keeps retransmitting for many minutes before it reports anything.
   */
  public void healForNewConnectionsOnly() {
    List<InetSocketAddress> stale = List.copyOf(crusher.getClientAddresses());
    crusher.unfreeze();
    stale.forEach(client -> {
      NetFreezer freezer = crusher.getClientFreezer(client);
      if (freezer != null) {
        freezer.freeze();
      }
    });
  }

  /** Closes every connection (both ends see a close), as a middlebox that lost its state does. */
  public void reset() {
    crusher.closeAllPairs();
  }

  /** The link is whole again, without added latency. */
  public void heal() {
    delayNanos.set(0);
    if (crusher.isFrozen()) {
      crusher.unfreeze();
    }
    crusher.unfreezeAllPairs();
  }

  @Override
  public void close() {
    crusher.close();
    reactor.close();
  }
}
