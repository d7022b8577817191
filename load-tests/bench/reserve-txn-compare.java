import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of the two crash-safe publication designs on the reserve step itself, same Redis, same
 * broker, same client concurrency (no HTTP):
 *   outbox:        one EVALSHA of lua/reserve-5.lua (deduction + record + XADD in one script)
 *   transactional: a synchronous RocketMQ half message, then (local transaction) EVALSHA of the
 *                  same script without the XADD, then the commit sent by the client
 * Run by reserve-txn-compare.sh (java source-file mode, classpath = the stock-service jar); args: redisHost redisPort namesrv topic threads seconds.
 * Prints one line per design: ops/s and mean latency.
 */
public class ReserveTxnCompare {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String namesrv = args[2];
    String topic = args[3];
    int threads = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);

    Vertx vertx = Vertx.vertx();
    Redis client = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString("redis://" + host + ":" + port).setPassword(System.getenv("SECKILL_REDIS_PASSWORD"))
        .setMaxPoolSize(threads).setMaxPoolWaiting(4096)
        .setProtocolNegotiation(false).setPreferredProtocolVersion(ProtocolVersion.RESP2));
    RedisAPI redis = RedisAPI.api(client);
    String source = Files.readString(Path.of("lua/reserve-5.lua"));
    String withoutOutbox = source.replaceAll("(?m)^redis\\.call\\('XADD'.*$", "");
    if (withoutOutbox.equals(source)) {
      throw new IllegalStateException("could not strip the XADD from reserve-5.lua");
    }
    String outboxSha = await(redis.script(List.of("LOAD", source))).toString();
    String plainSha = await(redis.script(List.of("LOAD", withoutOutbox))).toString();

    String run = Long.toString(System.currentTimeMillis(), 36);
    String outboxSale = "bench-cmp-ob-" + run;
    String txnSale = "bench-cmp-tx-" + run;
    warm(redis, outboxSale);
    warm(redis, txnSale);

    TransactionMQProducer producer = new TransactionMQProducer("seckill-bench-txn-" + run);
    producer.setNamesrvAddr(namesrv);
    producer.setInstanceName("bench-txn-" + run);
    producer.setTransactionListener(new TransactionListener() {
      @Override
      public LocalTransactionState executeLocalTransaction(Message message, Object arg) {
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) arg;
        Response reply = await(redis.evalsha(command));
        return reply.get(0).toInteger() == 1 ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE;
      }

      @Override
      public LocalTransactionState checkLocalTransaction(MessageExt message) {
        // check-back: the reservation record decides
        Response record = await(redis.hget("sale:{" + txnSale + "}:res", message.getKeys()));
        return record != null ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE;
      }
    });
    producer.start();
    try {
      // warm both paths before measuring
      measure("warm-up outbox", threads, 3, n -> await(redis.evalsha(command(outboxSha, outboxSale, "w" + n))));
      measure("warm-up transactional", threads, 3, n -> transactional(producer, topic, plainSha, txnSale, "w" + n));
      double outbox = measure("outbox (EVALSHA with XADD)", threads, seconds,
          n -> await(redis.evalsha(command(outboxSha, outboxSale, "u" + n))));
      double txn = measure("transactional (half message + EVALSHA + commit)", threads, seconds,
          n -> transactional(producer, topic, plainSha, txnSale, "u" + n));
      System.out.printf("RESULT {\"outbox\":%.0f,\"transactional\":%.0f,\"ratio\":%.3f}%n", outbox, txn, txn / outbox);
    } finally {
      producer.shutdown();
      for (String sale : List.of(outboxSale, txnSale)) {
        String k = "sale:{" + sale + "}";
        await(redis.del(List.of(k, k + ":held", k + ":res", k + ":idem", k + ":outbox")));
      }
      client.close();
      vertx.close();
    }
  }

  interface Op {
    void run(long n) throws Exception;
  }

  private static void transactional(TransactionMQProducer producer, String topic, String sha, String sale, String user)
      throws Exception {
    List<String> command = command(sha, sale, user);
    Message message = new Message(topic, ("{\"orderId\":\"" + command.get(9) + "\"}").getBytes(StandardCharsets.UTF_8));
    message.setKeys(command.get(9));
    TransactionSendResult result = producer.sendMessageInTransaction(message, command);
    if (result.getLocalTransactionState() == null) {
      throw new IllegalStateException("no local transaction state");
    }
  }

  private static List<String> command(String sha, String sale, String user) {
    String k = "sale:{" + sale + "}";
    String orderId = sale + "." + Long.toString(System.nanoTime(), 36) + user;
    return List.of(sha, "5", k, k + ":held", k + ":res", k + ":idem", k + ":outbox", user, "1", orderId, "");
  }

  private static void warm(RedisAPI redis, String sale) {
    long now = System.currentTimeMillis();
    await(redis.hset(List.of("sale:{" + sale + "}", "item", "bench", "stock", "100000000", "perUserLimit", "1",
        "startsAt", Long.toString(now - 60_000), "endsAt", Long.toString(now + 3_600_000),
        "paymentWindow", "600000", "available", "100000000", "reservedUnits", "0", "releasedUnits", "0",
        "reservations", "0")));
  }

  private static double measure(String name, int threads, int seconds, Op op) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong nanos = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(pool.submit(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          try {
            op.run(id * 100_000_000L + n++);
            done.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - t0);
          } catch (Exception e) {
            errors.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double rate = done.get() / elapsed;
    System.out.printf("%-50s %10.0f ops/s  mean %.2f ms  errors %d%n", name, rate,
        done.get() == 0 ? 0 : nanos.get() / 1e6 / done.get(), errors.get());
    return rate;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
