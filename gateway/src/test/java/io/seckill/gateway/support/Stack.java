package io.seckill.gateway.support;

import io.seckill.testkit.LocalServices;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;

import java.util.Map;

/**
 * The whole engine as real child processes ({@link LocalServices}, the project's one way to
 * start them), plus the gateway tests' token minter and API client.
 */
public final class Stack implements AutoCloseable {

  public final LocalStack local;
  public final ServiceProcess stock;
  public final ServiceProcess order;
  public final ServiceProcess gateway;
  public final Tokens tokens;
  private final LocalServices services;

  private Stack(LocalServices services) {
    this.services = services;
    this.local = services.local;
    this.stock = services.stock;
    this.order = services.order;
    this.gateway = services.gateway;
    this.tokens = new Tokens(local.jwtSecret());
  }

  /** Starts all three; {@code serviceEnv} adds to (or overrides) their environment. */
  public static Stack start(Map<String, String> serviceEnv) {
    return new Stack(LocalServices.start(serviceEnv));
  }

  /** A gateway child process in front of the given services. */
  public static ServiceProcess startGateway(LocalStack local, String stockUrl, String orderUrl,
                                            Map<String, String> extraEnv) {
    return LocalServices.startGateway(local, stockUrl, orderUrl, extraEnv);
  }

  public Api api() {
    return new Api(gateway);
  }

  @Override
  public void close() {
    services.close();
  }
}
