package io.seckill.testkit;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves the stack that ./seckill starts is real: each server does real work. */
class StackIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final String TOPIC = "seckill-order-timeout"; // created by ./seckill up

  private static DefaultMQProducer producer;
  private static DefaultMQPushConsumer consumer;
  /** message body → epoch millis at which the test consumer received it */
  private static final Map<String, Long> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void startClients() throws Exception {
    STACK.requireInfra();
    String group = "stack-it-" + UUID.randomUUID().toString().substring(0, 8);
    producer = new DefaultMQProducer(group + "-p");
    producer.setNamesrvAddr(STACK.namesrvAddr());
    producer.setInstanceName(group);
    producer.start();

    consumer = new DefaultMQPushConsumer(group);
    consumer.setNamesrvAddr(STACK.namesrvAddr());
    consumer.setInstanceName(group);
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
    // only this test's messages: other tests share the topic
    consumer.subscribe(TOPIC, "stack-it");
    consumer.registerMessageListener((List<MessageExt> messages, org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext context) -> {
      long now = System.currentTimeMillis();
      for (MessageExt message : messages) {
        received.putIfAbsent(new String(message.getBody(), StandardCharsets.UTF_8), now);
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    consumer.start();
    // A new group starting from the last offset takes that offset at its first rebalance: a
    // message sent before it would be skipped. The tests send only once the consumer owns queues.
    Poll.await(Duration.ofSeconds(60), "the consumer owns queues of " + TOPIC,
        () -> !consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().isEmpty());
  }

  @AfterAll
  static void stopClients() {
    if (consumer != null) {
      consumer.shutdown();
    }
    if (producer != null) {
      producer.shutdown();
    }
  }

  @Test
  @DisplayName("Redis runs a Lua script with EVAL and the script's write is visible")
  void redisRunsLua() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis client = Redis.createClient(vertx,
          new RedisOptions().setConnectionString(STACK.redisConnectionString()));
      RedisAPI redis = RedisAPI.api(client);
      String key = "stack-it:{" + UUID.randomUUID() + "}";
      Response result = redis.eval(List.of(
              "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCRBY', KEYS[1], ARGV[2])",
              "1", key, "40", "2"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(42, result.toInteger());
      Response stored = redis.get(key).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals("42", stored.toString());
      redis.del(List.of(key)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("MariaDB takes a write in a transaction and reads it back")
  void mariadbWritesAndReadsBack() throws Exception {
    String table = "stack_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(STACK.jdbcUrl(), STACK.mysqlUser(), STACK.mysqlPassword())) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, note VARCHAR(64) NOT NULL) ENGINE=InnoDB");
      }
      try {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
          insert.setLong(1, 7);
          insert.setString(2, "écrit ✓");
          assertEquals(1, insert.executeUpdate());
        }
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT note, @@version FROM " + table + " WHERE id = 7")) {
          assertTrue(rows.next(), "the committed row is read back");
          assertEquals("écrit ✓", rows.getString(1));
          assertNotNull(rows.getString(2));
        }
      } finally {
        try (Statement drop = connection.createStatement()) {
          drop.execute("DROP TABLE IF EXISTS " + table);
        }
      }
    }
  }

  @Test
  @DisplayName("RocketMQ round-trips a normal message, and a timer message arrives no earlier than its delay")
  void rocketMqRoundTripsNormalAndTimerMessages() throws Exception {
    String normal = "normal-" + UUID.randomUUID();
    Message now = new Message(TOPIC, "stack-it", normal.getBytes(StandardCharsets.UTF_8));
    assertEquals(SendStatus.SEND_OK, producer.send(now).getSendStatus());

    String timer = "timer-" + UUID.randomUUID();
    Message later = new Message(TOPIC, "stack-it", timer.getBytes(StandardCharsets.UTF_8));
    long delayMillis = 3_000;
    long sentAt = System.currentTimeMillis();
    later.setDeliverTimeMs(sentAt + delayMillis);
    assertEquals(SendStatus.SEND_OK, producer.send(later).getSendStatus());

    Poll.await(Duration.ofSeconds(30), "the normal message arrives", () -> received.containsKey(normal));
    Poll.await(Duration.ofSeconds(30), "the timer message arrives", () -> received.containsKey(timer));
    long arrivedAfter = received.get(timer) - sentAt;
    assertTrue(arrivedAfter >= delayMillis,
        "a timer message for " + delayMillis + " ms arrived after only " + arrivedAfter + " ms");
  }
}
