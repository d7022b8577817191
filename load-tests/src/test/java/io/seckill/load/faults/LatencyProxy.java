package io.seckill.load.faults;

import io.seckill.testkit.ServiceProcess;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between one service and one server (NetCrusher): {@code tc netem} is not
 * available on these machines and there is no Docker. It adds latency to every round trip and
 * partitions the link by freezing it: no byte moves either way and no new connection is accepted,
 * while the sockets stay open, as when packets are dropped and TCP keeps retransmitting.
 */
final class LatencyProxy implements AutoCloseable {

  private final NioReactor reactor;
  private final TcpCrusher crusher;
  /** Added to each request's way to the server; 0 = none. Read per buffer, so it changes live. */
  private final AtomicLong delayNanos = new AtomicLong();
  private final int port;

  private LatencyProxy(int targetPort) throws IOException {
    this.port = ServiceProcess.freePort();
    this.reactor = new NioReactor(10);
    this.crusher = TcpCrusherBuilder.builder()
        .withReactor(reactor)
        .withBindAddress("127.0.0.1", port)
        .withConnectAddress("127.0.0.1", targetPort)
        // the delay on the way to the server only: one round trip gets exactly the added latency
        .withOutgoingThrottlerFactory(client -> buffer -> {
          long delay = delayNanos.get();
          return delay > 0 ? delay : Throttler.NO_DELAY_NS;
        })
        .buildAndOpen();
  }

  /** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
  static LatencyProxy open(int targetPort) {
    try {
      return new LatencyProxy(targetPort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy to port " + targetPort + ": " + e, e);
    }
  }

  int port() {
    return port;
  }

  /** Adds {@code latency} to every round trip from now on. */
  void latency(Duration latency) {
    delayNanos.set(latency.toNanos());
  }

  /** Nothing passes from now on, in either direction, and no new connection gets through. */
  void partition() {
    if (!crusher.isFrozen()) {
      crusher.freeze();
    }
  }

  /** The link is whole again, without added latency. */
  void heal() {
    delayNanos.set(0);
    if (crusher.isFrozen()) {
      crusher.unfreeze();
    }
  }

  @Override
  public void close() {
    crusher.close();
    reactor.close();
  }
}
