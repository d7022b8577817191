package io.seckill.contracts;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/** Strict reads of message fields: a wrong type is an error, never a silent coercion. */
final class Json {

  private Json() {
  }

  static JsonObject parseObject(byte[] body) {
    if (body == null) {
      throw new IllegalArgumentException("empty body");
    }
    try {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("body is not a JSON object: " + e.getMessage(), e);
    }
  }

  /** A message body: the JSON object's UTF-8 bytes. */
  static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }

  static String requireString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return s;
  }

  static long requireLong(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException("'" + field + "' must be an integer");
  }

  static int requireInt(JsonObject json, String field) {
    long value = requireLong(json, field);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + field + "' is out of range");
    }
    return (int) value;
  }
}
