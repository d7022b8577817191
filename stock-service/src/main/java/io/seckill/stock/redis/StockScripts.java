package io.seckill.stock.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The inventory scripts from {@code lua/}, run with EVALSHA. A script missing from Redis (after a
 * restart, a SCRIPT FLUSH, or a failover: Redis does not replicate its script cache, so a replica
 * that becomes master has none) is loaded again on every master and the call retried once.
 *
 * <p>On a Redis Cluster an EVALSHA goes to the master that owns its keys' slot (every key of a
 * sale carries the hash tag {@code {saleId}}), but SCRIPT LOAD has no key and would reach one
 * random node: scripts are loaded on every master instead.
 */
public final class StockScripts {

  /** Each script and how many keys it takes. */
  public enum Script {
    WARM("warm-3.lua", 3),
    RESERVE("reserve-5.lua", 5),
    RELEASE("release-4.lua", 4),
    STATS("stats-1.lua", 1),
    RESTORE("restore-7.lua", 7),
    RETIRE("retire-6.lua", 6);

    private final String file;
    private final int keys;

    Script(String file, int keys) {
      this.file = file;
      this.keys = keys;
    }

    public String file() {
      return file;
    }

    public int keys() {
      return keys;
    }
  }

  /** Calls of a script, in all, while its slot keeps redirecting (see {@link #isRedirection}). */
  private static final int REDIRECT_ATTEMPTS = 5;

  private final Redis client;
  private final boolean cluster;
  private final RedisAPI redis;
  private final Map<Script, String> sources = new EnumMap<>(Script.class);
  private final Map<Script, String> shas = new EnumMap<>(Script.class);
  private final Runnable onReload;
  private final int waitReplicaMillis;

  private StockScripts(Redis client, boolean cluster, int waitReplicaMillis, Runnable onReload) {
    this.waitReplicaMillis = waitReplicaMillis;
    this.client = client;
    this.cluster = cluster;
    this.redis = RedisAPI.api(client);
    this.onReload = onReload;
    for (Script script : Script.values()) {
      String source = readResource("lua/" + script.file);
      sources.put(script, source);
      shas.put(script, sha1(source));
    }
  }

  /**
   * The scripts from the classpath ({@code lua/*.lua}), run through {@code client} ({@code cluster}:
   * a Redis Cluster client); {@code onReload} is told of each NOSCRIPT reload.
   */
  public static StockScripts fromClasspath(Redis client, boolean cluster, Runnable onReload) {
    return new StockScripts(client, cluster, 0, onReload);
  }

  /** As {@link #fromClasspath(Redis, boolean, Runnable)}; {@link #runReplicated} waits up to {@code waitReplicaMillis}. */
  public static StockScripts fromClasspath(Redis client, boolean cluster, int waitReplicaMillis, Runnable onReload) {
    return new StockScripts(client, cluster, waitReplicaMillis, onReload);
  }

  /**
   * As {@link #run}, then, when a replica wait is set, {@code WAIT 1 <ms>} in the same batch: one
   * write to the master that owns the keys (a batch whose commands share a slot goes to one node,
   * and WAIT, which has no key, goes with it), answered once a replica has the script's effects
   * or the wait ran out. WAIT does not make the write synchronous: after a timeout the write is
   * still only on the master, and a failover can still lose it; it shrinks the window.
   */
  public Future<Response> runReplicated(Script script, List<String> keys, List<String> args) {
    if (waitReplicaMillis <= 0) {
      return run(script, keys, args);
    }
    List<String> command = command(script, keys, args);
    return waitedBatch(Command.EVALSHA, command)
        .recover(failure -> isNoScript(failure)
            ? reload().compose(v -> waitedBatch(Command.EVAL, withSource(script, command)))
            : Future.failedFuture(failure));
  }

  private Future<Response> waitedBatch(Command eval, List<String> command) {
    Request request = Request.cmd(eval);
    command.forEach(request::arg);
    Request wait = Request.cmd(Command.WAIT).arg(1).arg(waitReplicaMillis);
    return client.batch(List.of(request, wait)).map(replies -> replies.get(0));
  }

  private List<String> command(Script script, List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(shas.get(script));
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return command;
  }

  private List<String> withSource(Script script, List<String> evalshaCommand) {
    List<String> command = new ArrayList<>(evalshaCommand);
    command.set(0, sources.get(script));
    return command;
  }

  /** SCRIPT LOAD of every script on every master, so the first EVALSHA of each finds it. */
  public Future<Void> loadAll() {
    List<Future<?>> loads = new ArrayList<>();
    for (Script script : Script.values()) {
      loads.add(onEveryMaster(Request.cmd(Command.SCRIPT).arg("LOAD").arg(sources.get(script))));
    }
    return Future.all(loads).mapEmpty();
  }

  private Future<?> onEveryMaster(Request request) {
    if (!cluster) {
      return client.send(request);
    }
    // a connection of its own: the slot map it reads is the cluster's now, after any failover
    return client.connect().compose(connection -> RedisCluster.create(connection).onAllMasterNodes(request)
        .eventually(connection::close));
  }

  /** The SHA-1 EVALSHA uses for {@code script}. */
  public String sha(Script script) {
    return shas.get(script);
  }

  /**
   * Runs {@code script} with EVALSHA; on NOSCRIPT loads every script on every master and retries
   * once, with EVAL and the source, which runs on whichever master owns the keys even if the
   * load missed it (a master that changed again meanwhile) and caches the script there too.
   */
  public Future<Response> run(Script script, List<String> keys, List<String> args) {
    if (keys.size() != script.keys) {
      return Future.failedFuture(new IllegalArgumentException(script.file + " takes " + script.keys + " keys"));
    }
    return runOnce(script, command(script, keys, args), REDIRECT_ATTEMPTS);
  }

  private Future<Response> runOnce(Script script, List<String> command, int attempts) {
    return redis.evalsha(command)
        .recover(failure -> isNoScript(failure) ? reload().compose(v -> redis.eval(withSource(script, command)))
            : Future.failedFuture(failure))
        .recover(failure -> attempts > 1 && isRedirection(failure) ? runOnce(script, command, attempts - 1)
            : Future.failedFuture(failure));
  }

  /**
   * MOVED, ASK or TRYAGAIN that reached us: the cluster client gave up following the slot (it
   * tries 16 hops). While a slot migrates, the client answers ASK by sending ASKING and then the
   * command to the target, as two writes on a connection every request of the event loop shares:
   * another command can come between them and take the one-shot ASKING, so the target answers
   * MOVED back to the source, and a request can bounce until its hops run out
   * (RedisReshardClusterIT: 3 of 362 reservations failed with {@code MOVED <slot> <source>}). A
   * redirection means Redis did not run the script, so calling again is safe.
   */
  static boolean isRedirection(Throwable failure) {
    String message = failure.getMessage();
    if (message == null) {
      return false;
    }
    String reply = message.startsWith("ERR [0] ") ? message.substring("ERR [0] ".length()) : message;
    return reply.startsWith("MOVED ") || reply.startsWith("ASK ") || reply.startsWith("TRYAGAIN");
  }

  private Future<Void> reload() {
    onReload.run();
    // the retry below does not depend on it: a load that failed on one master leaves EVAL to cover it
    return loadAll().otherwiseEmpty();
  }

  /**
   * NOSCRIPT, as a command's own error ({@code NOSCRIPT No matching script}) or as the error of
   * the script in a batch: vertx-redis-client fails a batch with one {@code ERR [index] <error>}
   * line per failed command, so the script's ({@code [0]}) reads {@code ERR [0] NOSCRIPT ...}.
   * Missing that form left every WAIT reservation failing after a failover (RedisFailoverClusterIT).
   */
  static boolean isNoScript(Throwable failure) {
    String message = failure.getMessage();
    return message != null && (message.startsWith("NOSCRIPT") || message.startsWith("ERR [0] NOSCRIPT"));
  }

  private static String readResource(String path) {
    try (InputStream in = StockScripts.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
