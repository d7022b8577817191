package io.seckill.load.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A slow, then broken, network between one service and its server, through a TCP proxy on
 * loopback: first added latency on every round trip, then a partition (nothing passes either
 * way), then the link heals. Before the load the service is restarted pointed at the proxy;
 * afterwards it is restarted pointed at the server again.
 */
final class Degraded implements Nemesis {

  private final Part service;
  private final Part server;
  private final Duration latency;
  private final Duration slowFor;
  private final Duration partitionFor;
  private volatile LatencyProxy proxy;

  Degraded(Part service, Part server, Duration latency, Duration slowFor, Duration partitionFor) {
    this.service = service;
    this.server = server;
    this.latency = latency;
    this.slowFor = slowFor;
    this.partitionFor = partitionFor;
  }

  @Override
  public String describe() {
    return service + " to " + server + " through a TCP proxy: +" + latency.toMillis() + " ms per round trip for "
        + slowFor.toSeconds() + " s, then partitioned for " + partitionFor.toSeconds() + " s, then healed";
  }

  @Override
  public void prepare(Stack stack, Timeline timeline) {
    int serverPort = server == Part.REDIS ? stack.local().redisPort() : stack.local().mysqlPort();
    proxy = LatencyProxy.open(serverPort);
    timeline.event("proxy 127.0.0.1:" + proxy.port() + " -> " + server + " 127.0.0.1:" + serverPort
        + "; restarting " + service + " through it");
    stack.restartService(service, Map.of(server.portVariable(), Integer.toString(proxy.port())));
    timeline.event(service + " ready, reaching " + server + " through the proxy");
  }

  @Override
  public Window strike(Stack stack, Hold hold, PurchaseLoad load, Timeline timeline) {
    Instant start = Instant.now();
    proxy.latency(latency);
    timeline.event("+" + latency.toMillis() + " ms per round trip between " + service + " and " + server);
    hold.hold(slowFor);
    proxy.partition();
    timeline.event("partition between " + service + " and " + server);
    hold.hold(partitionFor);
    Instant end = Instant.now();
    proxy.heal();
    timeline.event("healed");
    return new Window(start, end, end);
  }

  @Override
  public synchronized void restore(Stack stack) {
    LatencyProxy routed = proxy;
    if (routed == null) {
      return;
    }
    routed.heal();
    // the service drains through the healed proxy, then comes back on the server's own port
    stack.restartService(service, Map.of());
    routed.close();
    proxy = null;
  }
}
