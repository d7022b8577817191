package io.seckill.gateway.support;

import io.seckill.testkit.LocalServices;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * What a Redis that came back empty looks like for one sale: its keys and its place in the set
   * of sales are gone (deleted with {@code redis-cli}, as an operator would see it).
   */
  public void forgetSaleInRedis(String saleId) throws IOException, InterruptedException {
    String tag = "sale:{" + saleId + "}";
    redisCli("SREM", "seckill:sales", saleId);
    redisCli("DEL", tag, tag + ":held", tag + ":res", tag + ":idem", tag + ":outbox");
  }

  private void redisCli(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", local.redisHost(),
        "-p", Integer.toString(local.redisPort())));
    argv.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    // the password goes through the environment, never the command line
    builder.environment().put("REDISCLI_AUTH", local.redisPassword());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "redis-cli " + argv + ": " + output);
    assertTrue(!output.contains("ERR") && !output.contains("NOAUTH"), "redis-cli " + argv + ": " + output);
  }

  @Override
  public void close() {
    services.close();
  }
}
