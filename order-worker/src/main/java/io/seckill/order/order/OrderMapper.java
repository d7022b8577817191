package io.seckill.order.order;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** SQL over {@code orders}. Status changes are guarded by status and version. */
public interface OrderMapper {

  String COLUMNS = "id, sale_id, user_id, quantity, status, version, created_at, expires_at, paid_at, cancelled_at";

  @Select("SELECT " + COLUMNS + " FROM orders WHERE id = #{id}")
  OrderRow find(String id);

  @Select("<script>SELECT id FROM orders WHERE id IN "
      + "<foreach item='id' collection='ids' open='(' separator=',' close=')'>#{id}</foreach></script>")
  List<String> findExisting(@Param("ids") Collection<String> ids);

  /**
   * One row. In a {@code BATCH} session, consecutive calls go out as one JDBC batch, which
   * Connector/J ({@code rewriteBatchedStatements}) sends as one multi-row INSERT: a duplicate id
   * fails the whole batch. Much cheaper than a {@code <foreach>} statement of hundreds of rows,
   * whose dynamic SQL MyBatis builds and binds anew every time.
   */
  @Insert("INSERT INTO orders (" + COLUMNS + ") VALUES (#{id}, #{saleId}, #{userId}, #{quantity}, #{status},"
      + " #{version}, #{createdAt}, #{expiresAt}, #{paidAt}, #{cancelledAt})")
  int insert(OrderRow order);

  @Update("UPDATE orders SET status = 'PAID', paid_at = #{now}, version = version + 1"
      + " WHERE id = #{id} AND version = #{version} AND status = 'AWAITING_PAYMENT' AND expires_at > #{now}")
  int markPaid(@Param("id") String id, @Param("version") long version, @Param("now") Instant now);

  @Update("UPDATE orders SET status = 'CANCELLED', cancelled_at = #{now}, version = version + 1"
      + " WHERE id = #{id} AND version = #{version} AND status = 'AWAITING_PAYMENT'")
  int markCancelled(@Param("id") String id, @Param("version") long version, @Param("now") Instant now);

  /**
   * Orders still awaiting payment whose window ended before {@code before}, oldest expiry first
   * (index {@code idx_orders_status_expires}): their timeout message is late or lost.
   */
  @Select("SELECT " + COLUMNS + " FROM orders WHERE status = 'AWAITING_PAYMENT' AND expires_at < #{before}"
      + " ORDER BY expires_at LIMIT #{limit}")
  List<OrderRow> findLapsed(@Param("before") Instant before, @Param("limit") int limit);

  @Select("SELECT status, COUNT(*), COALESCE(SUM(quantity), 0) FROM orders WHERE sale_id = #{saleId} GROUP BY status")
  List<StatusUnits> unitsByStatus(String saleId);
}
