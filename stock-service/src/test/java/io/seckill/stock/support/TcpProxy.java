package io.seckill.stock.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of one server, to inject network faults between a service and
 * it (no netem, no Docker here): {@link #freeze()} keeps every connection open and forwards
 * nothing (the server hangs), {@link #cut()} drops every connection and refuses new ones (the
 * server is down), {@link #heal()} forwards normally again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile ServerSocket listener;
  private boolean frozen;
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** Listens on a free loopback port and forwards to {@code host:port}. */
  public static TcpProxy start(String host, int targetPort) {
    try {
      ServerSocket first = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, targetPort), first.getLocalPort());
      proxy.accept(first);
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a TCP proxy: " + e, e);
    }
  }

  public int port() {
    return port;
  }

  /** Connections stay up and new ones are accepted, but no byte passes in either direction. */
  public void freeze() {
    synchronized (gate) {
      frozen = true;
    }
  }

  /** Every connection is dropped and new ones are refused. */
  public void cut() {
    ServerSocket current = listener;
    listener = null;
    closeQuietly(current);
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Listens again if cut, forwards again if frozen. */
  public void heal() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
    if (listener == null && !closed) {
      try {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        accept(again);
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen again on port " + port + ": " + e, e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    cut();
  }

  private void accept(ServerSocket server) {
    listener = server;
    Thread acceptor = new Thread(() -> {
      while (listener == server) {
        Socket client;
        try {
          client = server.accept();
        } catch (IOException e) {
          continue; // the listener was closed by cut(): the loop ends
        }
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 2_000);
        } catch (IOException e) {
          closeQuietly(client);
          closeQuietly(upstream);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      }
    }, "tcp-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(Socket from, Socket to) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          awaitThawed();
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // one side closed or the proxy cut the pair
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "tcp-proxy-pump-" + port);
    pump.setDaemon(true);
    pump.start();
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (gate) {
      while (frozen) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
