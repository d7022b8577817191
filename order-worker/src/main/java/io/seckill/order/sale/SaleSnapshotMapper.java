package io.seckill.order.sale;

import org.apache.ibatis.annotations.Select;

import java.util.List;

/** The live part of a sale for {@link Sales#snapshot}: read-only, both on index {@code (sale_id, status)}. */
public interface SaleSnapshotMapper {

  @Select("SELECT id, user_id, quantity, created_at, expires_at FROM orders"
      + " WHERE sale_id = #{saleId} AND status = 'AWAITING_PAYMENT' ORDER BY id")
  List<SaleSnapshot.LiveOrder> liveOrders(String saleId);

  @Select("SELECT user_id, SUM(quantity) FROM orders"
      + " WHERE sale_id = #{saleId} AND status IN ('AWAITING_PAYMENT', 'PAID') GROUP BY user_id ORDER BY user_id")
  List<SaleSnapshot.Holding> holdings(String saleId);
}
