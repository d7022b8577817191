package io.seckill.order.creation;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.messaging.DeadLetterReason;
import io.seckill.order.messaging.DeadLetters;
import io.seckill.order.messaging.Redelivery;
import io.seckill.order.messaging.UnknownSales;
import io.seckill.order.messaging.ConsumerLag;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumes {@link Topics#ORDER_CREATE} in batches: when a backlog builds, one delivery carries up
 * to {@code batchSize} messages, persisted per sale in one transaction each. A message is acked
 * only once its order is in MySQL, its retry is queued, or it is dead-lettered.
 */
public final class OrderCreationConsumer implements MessageListenerConcurrently {

  private static final Logger log = LoggerFactory.getLogger(OrderCreationConsumer.class);

  private final DefaultMQPushConsumer consumer;
  private final GroupCommit batches;
  private final DeadLetters deadLetters;
  private final Redelivery redelivery;
  private final UnknownSales unknownSales;

  public OrderCreationConsumer(RocketMqConfig config, String instanceName, GroupCommit batches,
                               DeadLetters deadLetters, UnknownSales unknownSales, WorkerMetrics metrics) throws Exception {
    this.batches = batches;
    this.unknownSales = unknownSales;
    this.deadLetters = deadLetters;
    consumer = config.pushConsumer(config.createGroup(), config.createTopic(), instanceName);
    consumer.setConsumeMessageBatchMaxSize(config.batchSize());
    consumer.setPullBatchSize(Math.max(32, config.batchSize()));
    consumer.registerMessageListener(this);
    redelivery = new Redelivery(consumer, deadLetters, config.maxAttempts());
    metrics.lag(config.createGroup(), () -> ConsumerLag.of(consumer));
  }

  public void start() throws Exception {
    consumer.start();
  }

  public void shutdown() {
    consumer.shutdown();
  }

  /** The RocketMQ consumer, for what it owns and where it stands (tests, diagnostics). */
  public DefaultMQPushConsumer pushConsumer() {
    return consumer;
  }

  @Override
  public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
    try {
      List<DeadLetters.Letter> letters = new ArrayList<>();
      Map<String, List<Parsed>> bySale = new LinkedHashMap<>();
      for (MessageExt message : messages) {
        OrderMessage order;
        try {
          order = OrderMessage.fromBytes(message.getBody());
        } catch (IllegalArgumentException poison) {
          letters.add(new DeadLetters.Letter(message, DeadLetterReason.MALFORMED, poison.getMessage()));
          continue;
        }
        bySale.computeIfAbsent(order.saleId(), k -> new ArrayList<>()).add(new Parsed(message, order));
      }
      for (Map.Entry<String, List<Parsed>> sale : bySale.entrySet()) {
        persistSale(sale.getKey(), sale.getValue(), letters);
      }
      deadLetters.sendAll(letters);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    } catch (Exception e) {
      // neither applied, queued for retry nor dead-lettered: the broker redelivers the batch,
      // and what was already persisted counts as a duplicate then
      log.error("creation batch of {} messages failed; the broker will redeliver it", messages.size(), e);
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
  }

  private void persistSale(String saleId, List<Parsed> parsed, List<DeadLetters.Letter> letters) throws Exception {
    if (unknownSales.recentlyConfirmed(saleId)) {
      parsed.forEach(p -> letters.add(new DeadLetters.Letter(p.message(), DeadLetterReason.UNKNOWN_SALE,
          "no sale '" + saleId + "' in MySQL")));
      return;
    }
    List<OrderMessage> orders = parsed.stream().map(Parsed::order).toList();
    Map<String, BatchOutcome> outcomes;
    try {
      outcomes = unknownSales.checked(saleId, () -> batches.persist(saleId, orders),
          result -> result.values().stream().anyMatch(o -> o instanceof BatchOutcome.UnknownSale));
    } catch (RuntimeException e) {
      for (Parsed p : parsed) {
        redelivery.failed(p.message(), e);
      }
      return;
    }
    for (Parsed p : parsed) {
      BatchOutcome outcome = outcomes.get(p.order().orderId());
      if (outcome instanceof BatchOutcome.UnknownSale) {
        letters.add(new DeadLetters.Letter(p.message(), DeadLetterReason.UNKNOWN_SALE, "no sale '" + saleId + "' in MySQL"));
      } else if (outcome instanceof BatchOutcome.NotEnoughStock n) {
        letters.add(new DeadLetters.Letter(p.message(), DeadLetterReason.NOT_ENOUGH_STOCK,
            "sale '" + saleId + "' has " + n.available() + " units left in MySQL, the order holds " + n.asked()));
      }
    }
  }

  private record Parsed(MessageExt message, OrderMessage order) {
  }
}
