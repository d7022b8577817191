package io.seckill.gateway.upstream;

import io.seckill.gateway.http.JsonBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;

/** What an internal service answered: its status and its body, parsed leniently. */
public record Reply(int status, Buffer body) {

  static Reply of(HttpResponse<Buffer> response) {
    return new Reply(response.statusCode(), response.bodyAsBuffer());
  }

  /** The body as an object, or an empty object when it is missing or not one. */
  public JsonObject json() {
    JsonObject json = JsonBody.objectOrNull(body);
    return json == null ? new JsonObject() : json;
  }

  public JsonArray array() {
    JsonArray json = JsonBody.arrayOrNull(body);
    return json == null ? new JsonArray() : json;
  }
}
