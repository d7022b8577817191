package io.seckill.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Strict parsing of JSON bodies: an object is an object, never a coerced array or scalar. */
public final class JsonBody {

  private JsonBody() {
  }

  /**
   * The body as a JSON object.
   *
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static JsonObject object(Buffer body, String expected) {
    if (firstChar(body) != '{') {
      throw new IllegalArgumentException("body must be " + expected);
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("body is not valid JSON");
    }
  }

  /** The body as a JSON object, or null when it is missing or not one. */
  public static JsonObject objectOrNull(Buffer body) {
    try {
      return firstChar(body) == '{' ? new JsonObject(body) : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** The body as a JSON array, or null when it is missing or not one. */
  public static JsonArray arrayOrNull(Buffer body) {
    try {
      return firstChar(body) == '[' ? new JsonArray(body) : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static int firstChar(Buffer body) {
    if (body == null) {
      return -1;
    }
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b;
      }
    }
    return -1;
  }
}
