package io.seckill.order.creation;

import io.seckill.contracts.Ids;
import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.order.RocketMqConfig;
import io.seckill.order.Retrying;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.messaging.DeadLetterReason;
import io.seckill.order.messaging.HandBackListener;
import io.seckill.order.messaging.DeadLetters;
import io.seckill.order.messaging.TopicConsumer;
import io.seckill.order.messaging.UnknownSales;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumes {@link Topics#ORDER_CREATE} in batches: when a backlog builds, one delivery carries up
 * to {@code batchSize} messages, persisted per sale in one transaction each. A delivery is acked
 * only once every order in it is in MySQL or dead-lettered for a reason that can never pass.
 * While MySQL or the broker is unreachable the delivery waits and tries again ({@link Retrying}),
 * however long that takes: its orders are never given up.
 */
public final class OrderCreationConsumer extends HandBackListener {

  private static final Logger log = LoggerFactory.getLogger(OrderCreationConsumer.class);

  private final TopicConsumer consumer;
  private final GroupCommit batches;
  private final DeadLetters deadLetters;
  private final UnknownSales unknownSales;
  private final Retrying retrying;

  public OrderCreationConsumer(RocketMqConfig config, String instanceName, GroupCommit batches,
                               DeadLetters deadLetters, UnknownSales unknownSales, Retrying retrying,
                               WorkerMetrics metrics) throws Exception {
    this.batches = batches;
    this.unknownSales = unknownSales;
    this.deadLetters = deadLetters;
    this.retrying = retrying;
    consumer = new TopicConsumer(config, config.createGroup(), config.createTopic(), instanceName, this, c -> {
      c.setConsumeMessageBatchMaxSize(config.batchSize());
      c.setPullBatchSize(Math.max(32, config.batchSize()));
    }, metrics);
  }

  public TopicConsumer consumer() {
    return consumer;
  }

  @Override
  protected void consume(List<MessageExt> messages) throws Retrying.Stopped {
    List<DeadLetters.Letter> letters = new ArrayList<>();
    Map<String, List<Parsed>> bySale = new LinkedHashMap<>();
    for (MessageExt message : messages) {
      OrderMessage order;
      try {
        order = parse(message);
      } catch (IllegalArgumentException poison) {
        letters.add(new DeadLetters.Letter(message, DeadLetterReason.MALFORMED, poison.getMessage()));
        continue;
      }
      bySale.computeIfAbsent(order.saleId(), k -> new ArrayList<>()).add(new Parsed(message, order));
    }
    for (Map.Entry<String, List<Parsed>> sale : bySale.entrySet()) {
      persistSale(sale.getKey(), sale.getValue(), letters);
    }
    deadLetters.sendAll(letters, retrying);
  }

  @Override
  protected void handedBack(List<MessageExt> messages, Retrying.Stopped stopped) {
    // shutting down mid-retry: the broker hands the delivery out again (to this group's next
    // owner); what was persisted already counts as a duplicate then
    log.info("creation batch of {} messages handed back: {}", messages.size(), stopped.getMessage());
  }

  /**
   * A creation whose fields or ids are malformed can never be persisted; checked here, before it
   * can fail a whole batch in SQL (an over-long user id is a data error for every order with it).
   */
  static OrderMessage parse(MessageExt message) {
    OrderMessage order = OrderMessage.fromBytes(message.getBody());
    if (!Ids.isSaleId(order.saleId()) || !Ids.isOrderId(order.orderId())
        || !Ids.saleOf(order.orderId()).equals(order.saleId())) {
      throw new IllegalArgumentException("order id '" + order.orderId() + "' does not name sale '" + order.saleId() + "'");
    }
    if (!Ids.isUserId(order.userId())) {
      throw new IllegalArgumentException("malformed user id");
    }
    return order;
  }

  private void persistSale(String saleId, List<Parsed> parsed, List<DeadLetters.Letter> letters) throws Retrying.Stopped {
    // an operator's replay is checked against MySQL again: the sale may have been created since
    if (unknownSales.recentlyConfirmed(saleId) && parsed.stream().noneMatch(p -> DeadLetters.isReplay(p.message()))) {
      parsed.forEach(p -> letters.add(unknownSale(p.message(), saleId)));
      return;
    }
    Map<String, BatchOutcome> outcomes;
    try {
      outcomes = persist(saleId, parsed.stream().map(Parsed::order).toList());
    } catch (Retrying.Refused refused) {
      // MySQL refused a row of this group; one by one, only the order it refuses is dead-lettered
      outcomes = new LinkedHashMap<>();
      for (Parsed p : parsed) {
        try {
          outcomes.putAll(persist(saleId, List.of(p.order())));
        } catch (Retrying.Refused alone) {
          letters.add(new DeadLetters.Letter(p.message(), DeadLetterReason.REFUSED, alone.getMessage()));
        }
      }
    }
    for (Parsed p : parsed) {
      BatchOutcome outcome = outcomes.get(p.order().orderId());
      if (outcome instanceof BatchOutcome.UnknownSale) {
        letters.add(unknownSale(p.message(), saleId));
      } else if (outcome instanceof BatchOutcome.NotEnoughStock n) {
        letters.add(new DeadLetters.Letter(p.message(), DeadLetterReason.NOT_ENOUGH_STOCK,
            "sale '" + saleId + "' has " + n.available() + " units left in MySQL, the order holds " + n.asked()));
      }
    }
  }

  private Map<String, BatchOutcome> persist(String saleId, List<OrderMessage> orders) throws Retrying.Stopped {
    return retrying.untilCommitted("persist-orders", () -> unknownSales.checked(saleId, () -> batches.persist(saleId, orders),
        result -> result.values().stream().anyMatch(o -> o instanceof BatchOutcome.UnknownSale)));
  }

  private static DeadLetters.Letter unknownSale(MessageExt message, String saleId) {
    return new DeadLetters.Letter(message, DeadLetterReason.UNKNOWN_SALE, "no sale '" + saleId + "' in MySQL");
  }

  private record Parsed(MessageExt message, OrderMessage order) {
  }
}
