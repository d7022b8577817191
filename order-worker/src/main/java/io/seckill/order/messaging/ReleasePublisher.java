package io.seckill.order.messaging;

import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.WorkerMetrics;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/**
 * Tells stock-service to return a cancelled order's units to Redis. Sent after the cancellation
 * commits; stock-service releases once per order id, so sending again after a crash is safe.
 */
public final class ReleasePublisher {

  private final DefaultMQProducer producer;
  private final WorkerMetrics metrics;

  public ReleasePublisher(DefaultMQProducer producer, WorkerMetrics metrics) {
    this.producer = producer;
    this.metrics = metrics;
  }

  /** Blocks until the broker stored the release; throws when it did not. */
  public void publish(StockRelease release) throws Exception {
    Message message = new Message(Topics.STOCK_RELEASE, release.toBytes());
    message.setKeys(release.orderId());
    SendResult result = producer.send(message);
    if (result.getSendStatus() != SendStatus.SEND_OK) {
      throw new IllegalStateException("stock release not stored: " + result.getSendStatus());
    }
    metrics.releasePublished();
  }
}
