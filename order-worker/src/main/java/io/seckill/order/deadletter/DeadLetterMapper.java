package io.seckill.order.deadletter;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.time.Instant;
import java.util.List;

/** SQL over {@code dead_letter}. */
public interface DeadLetterMapper {

  String COLUMNS = "id, message_id, source_topic, message_key, reason, detail, body, recorded_at, replayed_at";

  /** 1 when recorded, 0 when this dead letter (by message id) is already there. */
  @Insert("INSERT IGNORE INTO dead_letter (message_id, source_topic, message_key, reason, detail, body, recorded_at)"
      + " VALUES (#{messageId}, #{sourceTopic}, #{messageKey}, #{reason}, #{detail}, #{body}, #{recordedAt})")
  int insert(DeadLetterRow row);

  @Select("SELECT " + COLUMNS + " FROM dead_letter WHERE id > #{after} ORDER BY id LIMIT #{limit}")
  List<DeadLetterRow> page(@Param("after") long after, @Param("limit") int limit);

  @Select("SELECT " + COLUMNS + " FROM dead_letter WHERE id = #{id}")
  DeadLetterRow find(long id);

  @Update("UPDATE dead_letter SET replayed_at = #{now} WHERE id = #{id} AND replayed_at IS NULL")
  int markReplayed(@Param("id") long id, @Param("now") Instant now);

  @Select("SELECT COUNT(*) FROM dead_letter WHERE replayed_at IS NULL")
  long countUnreplayed();
}
