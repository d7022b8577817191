package io.seckill.order.sale;

import io.seckill.contracts.BotDefense;
import io.seckill.contracts.SaleDefinition;

import java.time.Duration;
import java.time.Instant;

/** One row of {@code sale}; the column order of every SELECT matches the components. */
public record SaleRow(String id, String item, int stock, int perUserLimit, Instant startsAt,
                      Instant endsAt, int paymentWindowSeconds, int available, long version,
                      Instant createdAt, Instant updatedAt, String botDefense) {

  static SaleRow fresh(SaleDefinition sale, Instant now) {
    return new SaleRow(sale.id(), sale.item(), sale.stock(), sale.perUserLimit(),
        sale.startsAt(), sale.endsAt(), (int) sale.paymentWindow().getSeconds(), sale.stock(), 0, now, now,
        sale.botDefense().toText());
  }

  public SaleDefinition definition() {
    return new SaleDefinition(id, item, stock, perUserLimit, startsAt, endsAt,
        Duration.ofSeconds(paymentWindowSeconds), BotDefense.fromText(botDefense));
  }
}
