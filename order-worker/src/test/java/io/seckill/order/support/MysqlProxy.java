package io.seckill.order.support;

import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;

/**
 * A TCP proxy on loopback between a worker and MariaDB (NetCrusher), to break the path the way a
 * network or a server does: {@link #freeze} (a hung server), {@link #refuse} (a server that is
 * gone), {@link #heal}. Point the worker's {@code SECKILL_MYSQL_PORT} at {@link #port}.
 */
public final class MysqlProxy implements AutoCloseable {

  private final NioReactor reactor;
  private final TcpCrusher crusher;
  private final int port;

  private MysqlProxy(NioReactor reactor, TcpCrusher crusher, int port) {
    this.reactor = reactor;
    this.crusher = crusher;
    this.port = port;
  }

  public static MysqlProxy start() throws IOException {
    LocalStack stack = LocalStack.fromEnv().requireMysql();
    int port = ServiceProcess.freePort();
    NioReactor reactor = new NioReactor();
    TcpCrusher crusher = TcpCrusherBuilder.builder()
        .withReactor(reactor)
        .withBindAddress("127.0.0.1", port)
        .withConnectAddress(stack.mysqlHost(), stack.mysqlPort())
        .buildAndOpen();
    return new MysqlProxy(reactor, crusher, port);
  }

  public int port() {
    return port;
  }

  /**
   * Nothing moves on any connection, either way, and a new connection is not accepted past the
   * kernel's backlog: statements and handshakes hang until the client's own timeouts.
   */
  public void freeze() {
    crusher.freeze();
  }

  /** Every connection is closed, and new ones are refused. */
  public void refuse() {
    crusher.close();
  }

  /** Connections go through again. */
  public void heal() {
    if (!crusher.isOpen()) {
      crusher.open();
    } else if (crusher.isFrozen()) {
      crusher.unfreeze();
    }
  }

  @Override
  public void close() {
    crusher.close();
    reactor.close();
  }
}
