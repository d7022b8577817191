package io.seckill.order.sale;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.time.Instant;
import java.util.List;

/**
 * SQL over {@code sale}. Stock moves only through {@link #take} and {@link #giveBack}, both
 * guarded by the version read before: zero rows means somebody else moved it first.
 */
public interface SaleMapper {

  String COLUMNS = "id, item, stock, per_user_limit, starts_at, ends_at, payment_window_seconds,"
      + " available, version, created_at, updated_at, bot_defense";

  @Insert("INSERT INTO sale (" + COLUMNS + ") VALUES (#{id}, #{item}, #{stock}, #{perUserLimit},"
      + " #{startsAt}, #{endsAt}, #{paymentWindowSeconds}, #{available}, #{version}, #{createdAt}, #{updatedAt},"
      + " #{botDefense})")
  int insert(SaleRow sale);

  @Select("SELECT " + COLUMNS + " FROM sale WHERE id = #{id}")
  SaleRow find(String id);

  @Select("SELECT " + COLUMNS + " FROM sale WHERE ends_at > #{now} ORDER BY starts_at, id")
  List<SaleRow> findNotEnded(Instant now);

  @Select("SELECT stock, available, version FROM sale WHERE id = #{id}")
  SaleStock findStock(String id);

  @Update("UPDATE sale SET available = available - #{units}, version = version + 1, updated_at = #{now}"
      + " WHERE id = #{id} AND version = #{version} AND available >= #{units}")
  int take(@Param("id") String id, @Param("units") int units, @Param("version") long version,
           @Param("now") Instant now);

  @Update("UPDATE sale SET available = available + #{units}, version = version + 1, updated_at = #{now}"
      + " WHERE id = #{id} AND version = #{version} AND available + #{units} <= stock")
  int giveBack(@Param("id") String id, @Param("units") int units, @Param("version") long version,
               @Param("now") Instant now);
}
