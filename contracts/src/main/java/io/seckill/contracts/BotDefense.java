package io.seckill.contracts;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A sale's defence against purchase scripts, the {@code botDefense} field of a
 * {@link SaleDefinition}: {@code {"type":"none"}} (the default, also when the field is absent) or
 * {@code {"type":"proof-of-work","difficulty":N}}. With proof of work a buyer must solve an ALTCHA
 * challenge (find the secret number in {@code [0, N)} whose SHA-256 with the challenge's salt is
 * given: N/2 hashes on average) and trade the solution for a purchase ticket.
 *
 * <p>Stores keep it as the compact text of {@link #toText()}: {@code none} or
 * {@code proof-of-work:N}.
 *
 * @param difficulty the ALTCHA {@code maxnumber}; 0 when the defence is off
 */
public record BotDefense(int difficulty) {

  public static final BotDefense NONE = new BotDefense(0);
  public static final String TYPE_NONE = "none";
  public static final String TYPE_PROOF_OF_WORK = "proof-of-work";
  /** Below this a challenge costs a script nothing measurable. */
  public static final int MIN_DIFFICULTY = 1_000;
  /** ALTCHA numbers are Java ints; 10 million is seconds of work on a phone already. */
  public static final int MAX_DIFFICULTY = 10_000_000;

  private static final Set<String> POW_FIELDS = Set.of("type", "difficulty");

  public BotDefense {
    if (difficulty != 0 && (difficulty < MIN_DIFFICULTY || difficulty > MAX_DIFFICULTY)) {
      throw new IllegalArgumentException("'botDefense.difficulty' must be between " + MIN_DIFFICULTY + " and "
          + MAX_DIFFICULTY);
    }
  }

  public static BotDefense proofOfWork(int difficulty) {
    if (difficulty == 0) {
      throw new IllegalArgumentException("'botDefense.difficulty' must be between " + MIN_DIFFICULTY + " and "
          + MAX_DIFFICULTY);
    }
    return new BotDefense(difficulty);
  }

  /** Whether purchases of the sale need a ticket. */
  public boolean isOn() {
    return difficulty > 0;
  }

  public JsonObject toJson() {
    return isOn()
        ? new JsonObject().put("type", TYPE_PROOF_OF_WORK).put("difficulty", difficulty)
        : new JsonObject().put("type", TYPE_NONE);
  }

  /** {@code none} or {@code proof-of-work:N}, as Redis and MySQL hold it. */
  public String toText() {
    return isOn() ? TYPE_PROOF_OF_WORK + ":" + difficulty : TYPE_NONE;
  }

  /**
   * Reads {@link #toText()}; null (a sale stored before the field existed) is {@link #NONE}.
   *
   * @throws IllegalArgumentException for any other text
   */
  public static BotDefense fromText(String text) {
    if (text == null || TYPE_NONE.equals(text)) {
      return NONE;
    }
    if (text.startsWith(TYPE_PROOF_OF_WORK + ":")) {
      try {
        return proofOfWork(Integer.parseInt(text.substring(TYPE_PROOF_OF_WORK.length() + 1)));
      } catch (NumberFormatException e) {
        // one message below
      }
    }
    throw new IllegalArgumentException("not a bot defence: '" + text + "'");
  }

  /**
   * Strictly parses the JSON field; null (absent) is {@link #NONE}.
   *
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static BotDefense fromJson(Object value) {
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("'botDefense' must be an object such as {\"type\":\"none\"} or"
          + " {\"type\":\"proof-of-work\",\"difficulty\":50000}");
    }
    Object type = json.getValue("type");
    if (TYPE_NONE.equals(type)) {
      if (json.size() != 1) {
        throw new IllegalArgumentException("'botDefense' of type 'none' takes no other field");
      }
      return NONE;
    }
    if (!TYPE_PROOF_OF_WORK.equals(type)) {
      throw new IllegalArgumentException("'botDefense.type' must be 'none' or 'proof-of-work'");
    }
    for (String field : json.fieldNames()) {
      if (!POW_FIELDS.contains(field)) {
        throw new IllegalArgumentException("unknown field 'botDefense." + field + "'");
      }
    }
    Object difficulty = json.getValue("difficulty");
    if (!(difficulty instanceof Integer || difficulty instanceof Long)) {
      throw new IllegalArgumentException("'botDefense.difficulty' must be an integer");
    }
    long n = ((Number) difficulty).longValue();
    if (n < MIN_DIFFICULTY || n > MAX_DIFFICULTY) {
      throw new IllegalArgumentException("'botDefense.difficulty' must be between " + MIN_DIFFICULTY + " and "
          + MAX_DIFFICULTY);
    }
    return proofOfWork((int) n);
  }
}
