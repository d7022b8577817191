package io.seckill.order.sale;

/** The optimistic-lock view of a sale's stock: what is left, out of how much, at which version. */
public record SaleStock(int stock, int available, long version) {
}
