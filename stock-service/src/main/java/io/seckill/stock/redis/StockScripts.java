package io.seckill.stock.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
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
 * restart or SCRIPT FLUSH) is loaded again and the call retried once.
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

  private final RedisAPI redis;
  private final Map<Script, String> sources = new EnumMap<>(Script.class);
  private final Map<Script, String> shas = new EnumMap<>(Script.class);
  private final Runnable onReload;

  private StockScripts(RedisAPI redis, Runnable onReload) {
    this.redis = redis;
    this.onReload = onReload;
    for (Script script : Script.values()) {
      String source = readResource("lua/" + script.file);
      sources.put(script, source);
      shas.put(script, sha1(source));
    }
  }

  /** The scripts from the classpath ({@code lua/*.lua}); {@code onReload} is told of each NOSCRIPT reload. */
  public static StockScripts fromClasspath(RedisAPI redis, Runnable onReload) {
    return new StockScripts(redis, onReload);
  }

  /** SCRIPT LOAD of every script, so the first EVALSHA of each finds it. */
  public Future<Void> loadAll() {
    List<Future<Response>> loads = new ArrayList<>();
    for (Script script : Script.values()) {
      loads.add(redis.script(List.of("LOAD", sources.get(script))));
    }
    return Future.all(loads).mapEmpty();
  }

  /** The SHA-1 EVALSHA uses for {@code script}. */
  public String sha(Script script) {
    return shas.get(script);
  }

  /** Runs {@code script} with EVALSHA; on NOSCRIPT loads it and retries once. */
  public Future<Response> run(Script script, List<String> keys, List<String> args) {
    if (keys.size() != script.keys) {
      return Future.failedFuture(new IllegalArgumentException(script.file + " takes " + script.keys + " keys"));
    }
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(shas.get(script));
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return redis.evalsha(command)
        .recover(failure -> isNoScript(failure) ? reload(script).compose(sha -> redis.evalsha(command))
            : Future.failedFuture(failure));
  }

  private Future<String> reload(Script script) {
    onReload.run();
    return redis.script(List.of("LOAD", sources.get(script))).map(Response::toString);
  }

  private static boolean isNoScript(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.startsWith("NOSCRIPT");
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
