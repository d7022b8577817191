package io.seckill.load.faults;

import io.seckill.testkit.LocalStack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a nemesis acts on: the parts of one running stack. Every signal goes to a process the
 * stack's owner started and recorded ({@code ./seckill}'s PID files, or the test's own child
 * processes); every part comes back on its own data.
 */
interface Stack extends AutoCloseable {

  /** Where clients reach the gateway. */
  String gatewayUrl();

  /** Where Redis, MariaDB and the broker are, for the checker's direct reads. */
  LocalStack local();

  /** Sends {@code signal} (KILL, TERM, STOP, CONT) to the part; after KILL, returns once it is gone. Returns its PID. */
  long signal(Part part, String signal);

  /** SIGTERM, then waits up to {@code grace} for the part to exit, then SIGKILL; true when it exited by itself. */
  boolean stop(Part part, Duration grace);

  boolean running(Part part);

  /** Starts {@code part} again, on its own data, and returns once it is ready. */
  void start(Part part);

  /**
   * Stops the service gracefully and starts it again with {@code env} on top of its usual
   * environment (for example {@code SECKILL_REDIS_PORT} of a proxy); an empty map starts it as usual.
   */
  void restartService(Part service, Map<String, String> env);

  /** The directory Redis keeps its append-only file in. */
  Path redisData();

  /** Stops what this stack's owner started for the suite (nothing, for the stack {@code ./seckill} runs). */
  @Override
  void close();

  /** Grace for a service's SIGTERM: the services drain within their own bound (10 s by default). */
  Duration SERVICE_GRACE = Duration.ofSeconds(45);
}
