package io.seckill.stock.outbox;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.stock.RocketMqConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends reservations to RocketMQ with the producer's asynchronous API, so no event loop ever waits
 * on the broker: per batch one order-creation batch message, and per order one timer message
 * delivered at its {@code expiresAt}. Message key = order id; consumers drop duplicates by it.
 */
public final class OrderPublisher implements AutoCloseable {

  /** Closer than this to now, a timeout is sent as a plain message: it is already due. */
  private static final long MIN_TIMER_DELAY_MS = 1_000;

  private final DefaultMQProducer producer;
  private final RocketMqConfig config;

  private OrderPublisher(DefaultMQProducer producer, RocketMqConfig config) {
    this.producer = producer;
    this.config = config;
  }

  /** Starts a producer (blocking: call it off the event loop). */
  public static OrderPublisher start(RocketMqConfig config, String instance) throws MQClientException {
    DefaultMQProducer producer = new DefaultMQProducer(Topics.STOCK_PRODUCER_GROUP);
    producer.setNamesrvAddr(config.namesrvAddr());
    producer.setInstanceName("stock-" + instance + "-" + ProcessHandle.current().pid());
    producer.setSendMsgTimeout(5_000);
    producer.setRetryTimesWhenSendAsyncFailed(2);
    producer.start();
    return new OrderPublisher(producer, config);
  }

  /**
   * Publishes the creation and the timeout message of every order; completes on {@code context}
   * once the broker stored all of them, fails if any send failed (the caller retries them all).
   */
  public Future<Void> publish(Context context, List<OrderMessage> orders) {
    List<Future<Void>> sends = new ArrayList<>(orders.size() + 1);
    List<Message> creates = new ArrayList<>(orders.size());
    for (OrderMessage order : orders) {
      creates.add(message(config.orderCreateTopic(), order));
    }
    sends.add(send(context, creates));
    long now = System.currentTimeMillis();
    for (OrderMessage order : orders) {
      Message timeout = message(config.orderTimeoutTopic(), order);
      if (order.expiresAt() - now > MIN_TIMER_DELAY_MS) {
        timeout.setDeliverTimeMs(order.expiresAt());
      }
      sends.add(send(context, List.of(timeout)));
    }
    return Future.all(sends).mapEmpty();
  }

  /** Sends one message to the dead-letter topic (blocking; for consumer threads). */
  public void deadLetter(byte[] body, String key, String sourceTopic, String reason) throws Exception {
    Message message = new Message(Topics.DEAD_LETTER, body);
    if (key != null) {
      message.setKeys(key);
    }
    message.putUserProperty("sourceTopic", sourceTopic);
    message.putUserProperty("reason", reason.length() > 200 ? reason.substring(0, 200) : reason);
    producer.send(message);
  }

  @Override
  public void close() {
    producer.shutdown();
  }

  private static Message message(String topic, OrderMessage order) {
    Message message = new Message(topic, order.toBytes());
    message.setKeys(order.orderId());
    return message;
  }

  private Future<Void> send(Context context, List<Message> messages) {
    Promise<Void> promise = Promise.promise();
    SendCallback callback = new SendCallback() {
      @Override
      public void onSuccess(SendResult result) {
        context.runOnContext(v -> {
          if (result.getSendStatus() == SendStatus.SEND_OK) {
            promise.complete();
          } else {
            promise.fail(new IllegalStateException("broker answered " + result.getSendStatus()));
          }
        });
      }

      @Override
      public void onException(Throwable failure) {
        context.runOnContext(v -> promise.fail(failure));
      }
    };
    try {
      if (messages.size() == 1) {
        producer.send(messages.get(0), callback);
      } else {
        producer.send(messages, callback);
      }
    } catch (Exception e) {
      promise.tryFail(e);
    }
    return promise.future();
  }
}
