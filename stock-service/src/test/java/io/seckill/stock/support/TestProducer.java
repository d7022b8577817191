package io.seckill.stock.support;

import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.testkit.LocalStack;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A RocketMQ producer for tests: sends what order-worker would, e.g. a stock release. */
public final class TestProducer implements AutoCloseable {

  private final DefaultMQProducer producer;

  private TestProducer(DefaultMQProducer producer) {
    this.producer = producer;
  }

  /** Starts a producer in a fresh group named after {@code prefix}. */
  public static TestProducer start(LocalStack stack, String prefix) throws MQClientException {
    String group = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    DefaultMQProducer producer = new DefaultMQProducer(group);
    producer.setNamesrvAddr(stack.namesrvAddr());
    producer.setInstanceName(group);
    // the broker is shared with other tests and load runs: allow a slow answer
    producer.setSendMsgTimeout(15_000);
    producer.setMqClientApiTimeout(15_000);
    producer.start();
    return new TestProducer(producer);
  }

  public DefaultMQProducer producer() {
    return producer;
  }

  /** Sends the release as order-worker does (keyed by order id) and asserts the broker stored it. */
  public void sendRelease(StockRelease release) throws Exception {
    Message message = new Message(Topics.STOCK_RELEASE, release.toBytes());
    message.setKeys(release.orderId());
    assertEquals(SendStatus.SEND_OK, producer.send(message).getSendStatus());
  }

  @Override
  public void close() {
    producer.shutdown();
  }
}
