package io.seckill.contracts;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * What an admin asks for when creating a sale; the same JSON on the public API and on the
 * internal ones: {@code {"id","item","stock","perUserLimit","startsAt","endsAt","paymentWindow","botDefense"}}
 * with ISO-8601 instants and duration; {@code botDefense} is optional on input (absent = none) and
 * always written.
 */
public record SaleDefinition(String id, String item, int stock, int perUserLimit,
                             Instant startsAt, Instant endsAt, Duration paymentWindow, BotDefense botDefense) {

  public SaleDefinition {
    if (botDefense == null) {
      throw new IllegalArgumentException("botDefense must not be null: use BotDefense.NONE");
    }
  }

  /** A sale without bot defence. */
  public SaleDefinition(String id, String item, int stock, int perUserLimit,
                        Instant startsAt, Instant endsAt, Duration paymentWindow) {
    this(id, item, stock, perUserLimit, startsAt, endsAt, paymentWindow, BotDefense.NONE);
  }

  public static final int MAX_STOCK = 10_000_000;
  public static final int MAX_PER_USER_LIMIT = 1_000;
  public static final int MAX_ITEM_LENGTH = 200;
  /** RocketMQ's default maximum timer delay is 24 h; a longer window could never time out. */
  public static final Duration MAX_PAYMENT_WINDOW = Duration.ofHours(24);
  public static final Duration MIN_PAYMENT_WINDOW = Duration.ofSeconds(1);
  /**
   * The instants MySQL's {@code DATETIME(3)} can hold (up to 9999-12-31) and that are not before the
   * epoch the Redis scripts count milliseconds from: outside them a sale would fail in a store
   * (a 503) instead of being refused (a 400).
   */
  public static final Instant MIN_INSTANT = Instant.EPOCH;
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

  private static final Set<String> FIELDS =
      Set.of("id", "item", "stock", "perUserLimit", "startsAt", "endsAt", "paymentWindow", "botDefense");

  /** The same sale with another defence. */
  public SaleDefinition withBotDefense(BotDefense defense) {
    return new SaleDefinition(id, item, stock, perUserLimit, startsAt, endsAt, paymentWindow, defense);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("item", item)
        .put("stock", stock)
        .put("perUserLimit", perUserLimit)
        .put("startsAt", startsAt.toString())
        .put("endsAt", endsAt.toString())
        .put("paymentWindow", paymentWindow.toString())
        .put("botDefense", botDefense.toJson());
  }

  /** Whether the sale is open for purchases at {@code now}: startsAt ≤ now &lt; endsAt. */
  public boolean isOpenAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /**
   * Strictly parses and validates a sale definition: unknown fields, wrong types and values
   * out of range are refused.
   *
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static SaleDefinition fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    String id = Json.requireString(json, "id");
    if (!Ids.isSaleId(id)) {
      throw new IllegalArgumentException("'id' must be 1-64 of A-Z a-z 0-9 - _");
    }
    String item = Json.requireString(json, "item");
    if (item.length() > MAX_ITEM_LENGTH || item.isBlank()) {
      throw new IllegalArgumentException("'item' must be 1-" + MAX_ITEM_LENGTH + " characters");
    }
    int stock = Json.requireInt(json, "stock");
    if (stock < 1 || stock > MAX_STOCK) {
      throw new IllegalArgumentException("'stock' must be between 1 and " + MAX_STOCK);
    }
    int perUserLimit = Json.requireInt(json, "perUserLimit");
    if (perUserLimit < 1 || perUserLimit > MAX_PER_USER_LIMIT) {
      throw new IllegalArgumentException("'perUserLimit' must be between 1 and " + MAX_PER_USER_LIMIT);
    }
    Instant startsAt = instant(json, "startsAt");
    Instant endsAt = instant(json, "endsAt");
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException("'endsAt' must be after 'startsAt'");
    }
    Duration window = duration(json, "paymentWindow");
    if (window.compareTo(MIN_PAYMENT_WINDOW) < 0 || window.compareTo(MAX_PAYMENT_WINDOW) > 0) {
      throw new IllegalArgumentException("'paymentWindow' must be between PT1S and PT24H");
    }
    BotDefense defense = BotDefense.fromJson(json.getValue("botDefense"));
    return new SaleDefinition(id, item, stock, perUserLimit, startsAt, endsAt, window, defense);
  }

  /**
   * An instant at the millisecond, the precision every store keeps (MySQL DATETIME(3), Redis epoch
   * ms): a definition checked here must still hold after it went through a store, or a sale whose
   * two instants differ only below the millisecond is accepted and then read back as ending when
   * it starts.
   */
  private static Instant instant(JsonObject json, String field) {
    String text = Json.requireString(json, field);
    Instant instant;
    try {
      instant = Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
    }
    if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
      throw new IllegalArgumentException("'" + field + "' must be between " + MIN_INSTANT + " and " + MAX_INSTANT);
    }
    return instant;
  }

  private static Duration duration(JsonObject json, String field) {
    String text = Json.requireString(json, field);
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 duration such as PT15M");
    }
  }
}
