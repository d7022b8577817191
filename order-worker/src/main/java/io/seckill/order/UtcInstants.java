package io.seckill.order;

import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Maps {@link Instant} to DATETIME(3) as UTC wall-clock time with its milliseconds. Connector/J
 * takes MariaDB's "5.5.5-10.11" version for a server without fractional seconds and drops them
 * from temporal parameters, which made an identical sale definition look different on replay;
 * a literal keeps them.
 */
final class UtcInstants extends BaseTypeHandler<Instant> {

  private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, Instant value, JdbcType jdbcType) throws SQLException {
    ps.setString(i, WALL_CLOCK.format(LocalDateTime.ofInstant(value, ZoneOffset.UTC)));
  }

  @Override
  public Instant getNullableResult(ResultSet rs, String column) throws SQLException {
    return toInstant(rs.getObject(column, LocalDateTime.class));
  }

  @Override
  public Instant getNullableResult(ResultSet rs, int column) throws SQLException {
    return toInstant(rs.getObject(column, LocalDateTime.class));
  }

  @Override
  public Instant getNullableResult(CallableStatement cs, int column) throws SQLException {
    return toInstant(cs.getObject(column, LocalDateTime.class));
  }

  private static Instant toInstant(LocalDateTime time) {
    return time == null ? null : time.toInstant(ZoneOffset.UTC);
  }
}
