package io.seckill.gateway.console;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator console in a real browser (headless Debian chromium on a 390x844 phone screen)
 * against the real engine: a wrong token is refused, an admin signs in, creates a sale through the
 * page (first with a value the API refuses, shown in the API's own words), and watches a crowd of
 * buyers, sent through the public API by the test, take the sale from open to sold out; then paid
 * orders and the reconciliation show. A screenshot taken mid-sale goes to
 * {@code load-tests/results/console-mid-sale.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorConsoleIT {

  private static final int WIDTH = 390;
  private static final int HEIGHT = 844;
  private static final int STOCK = 40;
  /** Buyers of the first wave, arriving one every {@link #FIRST_WAVE_GAP}: the sale mid-way. */
  private static final int FIRST_WAVE = 25;
  private static final Duration FIRST_WAVE_GAP = Duration.ofMillis(250);
  /** Buyers of the second wave, all at once, for the {@code STOCK - FIRST_WAVE} units left. */
  private static final int SECOND_WAVE = 150;
  private static final int PAYERS = 5;
  /** How long the page may take to show what the API already says (it polls every second). */
  private static final Duration PAGE_WAIT = Duration.ofSeconds(60);
  /** How long persisting the orders in MySQL may take on a loaded machine (FlashSaleIT allows 90 s too). */
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(90);

  private static Stack stack;
  private static Api api;
  private static ChromeDriver browser;
  private static Path profile;
  private static String consoleUrl;
  private static String adminToken;
  private static String saleId;
  /** Every state of the reconciliation badge the page showed while the test read its figures. */
  private static final java.util.Set<String> reconciliationSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    profile = Files.createTempDirectory("seckill-console-chromium");
    // the browser first: when chromium is missing the test fails at once, saying what to install
    browser = HeadlessChromium.start(profile, WIDTH, HEIGHT);
    // one host sends the whole crowd, so the per-IP limit is off; per user and per sale stay on
    stack = Stack.start(Map.of("SECKILL_RATE_PER_IP", "0"));
    api = stack.api();
    consoleUrl = api.baseUrl() + "/admin/console/";
    adminToken = stack.tokens.admin("console-admin");
    saleId = Api.uniqueId("console");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
      if (profile != null) {
        try (var files = Files.walk(profile)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("A forged token and a buyer's token are refused on the sign-in form with the API's 401 and 403")
  void refusesAWrongToken() {
    browser.get(consoleUrl);
    assertEquals(WIDTH, ((Number) js("return window.innerWidth")).intValue(), "a phone-sized viewport");

    signIn("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.forged");
    String refused = awaitVisibleText("sign-in-error");
    assertTrue(refused.contains("401 UNAUTHORIZED"), refused);
    assertTrue(byId("app").getAttribute("hidden") != null, "nothing behind the sign-in is shown");

    signIn(stack.tokens.user("mallory"));
    String forbidden = Poll.until(PAGE_WAIT, () -> text("sign-in-error"), t -> t.contains("403"));
    assertTrue(forbidden.contains("403 FORBIDDEN") && forbidden.contains("this route needs the admin role"), forbidden);
    assertTrue(byId("app").getAttribute("hidden") != null, "nothing behind the sign-in is shown");
    assertNoHorizontalScroll();
  }

  @Test
  @Order(2)
  @DisplayName("An admin signs in and creates a sale; a value the API refuses shows the API's own message")
  void signsInAndCreatesASale() {
    signIn(adminToken);
    Poll.await(PAGE_WAIT, "the console behind the sign-in", () -> byId("app").isDisplayed(), () -> text("sign-in-error"));
    assertEquals(consoleUrl, browser.getCurrentUrl());

    Instant startsAt = Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant endsAt = startsAt.plus(Duration.ofHours(1));
    fill(Map.of("sale-id", saleId, "sale-item", "Console phone", "sale-stock", "0", "sale-limit", "1",
        "sale-starts", startsAt.toString(), "sale-ends", endsAt.toString(), "sale-window-input", "PT5M"));
    byId("create-button").click();
    // the page shows exactly what the API says about this definition
    Answer direct = api.post("/admin/sales", adminToken,
        Api.sale(saleId, 0, 1, startsAt, endsAt, Duration.ofMinutes(5)).put("item", "Console phone").encode());
    assertEquals(400, direct.status(), direct.toString());
    String refused = Poll.until(PAGE_WAIT, () -> text("create-result"), t -> t.contains("400"));
    assertEquals("400 BAD_REQUEST · " + direct.json().getString("detail"), refused);
    assertEquals("true", byId("sale-stock").getAttribute("aria-invalid"), "the refused field is marked");

    fill(Map.of("sale-stock", Integer.toString(STOCK)));
    byId("create-button").click();
    String created = Poll.until(PAGE_WAIT, () -> text("create-result"), t -> t.startsWith("Created"));
    assertEquals("Created sale " + saleId + " (" + STOCK + " units): watching it.", created);
    Answer stats = api.get("/admin/sales/" + saleId, adminToken);
    assertEquals(200, stats.status(), stats.toString());
    assertEquals(STOCK, stats.json().getInteger("stock"));

    awaitFigures("the new sale, all units available", f -> f.get("available") == STOCK && f.get("reserved") == 0
        && f.get("admitted") == 0);
    assertEquals("selling", text("sold-out"));
    assertNoHorizontalScroll();
  }

  @Test
  @Order(3)
  @DisplayName("The console follows a crowd buying the sale out: counters move, admissions per second, sold out, paid, reconciled")
  void watchesACrowdBuyTheSaleOut() throws Exception {
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    ExecutorService crowd = Executors.newFixedThreadPool(48);
    try {
      // wave 1: buyers one after another, so the page can be seen mid-sale
      List<CompletableFuture<Answer>> first = new ArrayList<>();
      for (int i = 0; i < FIRST_WAVE; i++) {
        String token = stack.tokens.user("console-early-" + i);
        CompletableFuture<Answer> bought = new CompletableFuture<>();
        pacer.schedule(() -> crowd.submit(() -> bought.complete(buy(token))),
            i * FIRST_WAVE_GAP.toMillis(), TimeUnit.MILLISECONDS);
        first.add(bought);
      }
      Map<String, Long> mid = awaitFigures("units taken while the first wave buys, with admissions per second",
          f -> f.get("available") > 0 && f.get("available") < STOCK && f.get("reserved") > 0
              && f.get("admittedPerSecond") > 0);
      screenshot("console-mid-sale.png");
      assertEquals(STOCK, mid.get("available") + mid.get("reserved"), mid.toString());

      List<String> firstOrders = new ArrayList<>();
      List<String> firstBuyers = new ArrayList<>();
      for (int i = 0; i < FIRST_WAVE; i++) {
        Answer answer = first.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(202, answer.status(), answer.toString());
        firstOrders.add(answer.json().getString("orderId"));
        firstBuyers.add(stack.tokens.user("console-early-" + i));
      }
      awaitFigures("the first wave's " + FIRST_WAVE + " units held", f -> f.get("available") == STOCK - FIRST_WAVE
          && f.get("reserved") == FIRST_WAVE && f.get("admitted") == FIRST_WAVE);
      assertEquals("selling", text("sold-out"));

      // wave 2: everyone at once for the units left; the gateway raises its sold-out flag
      List<java.util.concurrent.Future<Answer>> second = new ArrayList<>();
      for (int i = 0; i < SECOND_WAVE; i++) {
        String token = stack.tokens.user("console-late-" + i);
        second.add(crowd.submit(() -> buy(token)));
      }
      int reserved = 0;
      int soldOut = 0;
      for (java.util.concurrent.Future<Answer> future : second) {
        Answer answer = future.get(120, TimeUnit.SECONDS);
        if (answer.status() == 202) {
          reserved++;
        } else if (answer.status() == 409 && "SOLD_OUT".equals(answer.code())) {
          soldOut++;
        } else {
          throw new AssertionError("a buyer got neither a unit nor SOLD_OUT: " + answer);
        }
      }
      assertEquals(STOCK - FIRST_WAVE, reserved, "the second wave got exactly the units left");
      assertEquals(SECOND_WAVE - reserved, soldOut);
      awaitFigures("the sale sold out", f -> f.get("available") == 0 && f.get("reserved") == STOCK
          && f.get("admitted") >= STOCK && "SOLD OUT".equals(text("sold-out")));

      // payments and persistence: orders reach MySQL, five are paid
      for (int i = 0; i < PAYERS; i++) {
        String orderId = firstOrders.get(i);
        String token = firstBuyers.get(i);
        Answer paid = Poll.until(SETTLE_WAIT, () -> api.post("/api/orders/" + orderId + "/pay", token, null),
            a -> a.status() != 409 || !"ORDER_NOT_READY".equals(a.code()));
        assertEquals(200, paid.status(), paid.toString());
      }
      Map<String, Long> settled = awaitFigures(SETTLE_WAIT, "every order in MySQL, " + PAYERS + " paid, reconciled",
          f -> f.get("orders") == STOCK && f.get("paid") == PAYERS && f.get("awaitingPayment") == STOCK - PAYERS
              && f.get("cancelled") == 0 && "consistent".equals(text("reconciliation-state")));
      assertEquals(0, settled.get("reconciliation.drift"), settled.toString());
      assertEquals(0, settled.get("reconciliation.mysqlAvailable"), settled.toString());
      assertEquals(STOCK, settled.get("reconciliation.mysqlHeldUnits"), settled.toString());
      // orders in flight while the crowd bought (a drift: 'settling') were never shown as an inconsistency
      assertFalse(reconciliationSeen.contains("INCONSISTENT"), "a healthy sale shown inconsistent: " + reconciliationSeen);

      // dead letters: the page counts what the API lists, and none of them is this sale's
      long deadLetters = deadLetterCount();
      String shown = Poll.until(PAGE_WAIT, () -> text("dead-letter-count"),
          t -> t.equals(deadLetters + " (0 of " + saleId + ")"));
      assertEquals(deadLetters + " (0 of " + saleId + ")", shown);
      assertNoHorizontalScroll();
      assertNoTokenInAnyUrl();
    } finally {
      pacer.shutdownNow();
      crowd.shutdownNow();
    }
  }

  @Test
  @Order(4)
  @DisplayName("Signing out forgets the token: the page asks for one again and sends no more calls with it")
  void signsOut() {
    byId("sign-out").click();
    Poll.await(PAGE_WAIT, "the sign-in form again", () -> byId("sign-in-panel").isDisplayed());
    assertTrue(byId("app").getAttribute("hidden") != null);
    assertEquals(null, js("return sessionStorage.getItem('seckill.console.token')"));
    browser.navigate().refresh();
    Poll.await(PAGE_WAIT, "the sign-in form after a reload", () -> byId("sign-in-panel").isDisplayed());
    assertTrue(byId("app").getAttribute("hidden") != null, "a reload after sign-out does not sign in again");
  }

  // ------------------------------------------------------------------------------------------

  /** One buyer: retries a 429 (the gateway's own limits) until it gets a unit or SOLD_OUT. */
  private static Answer buy(String token) {
    return Poll.until(Duration.ofSeconds(60), () -> api.purchase(saleId, token, 1, null), a -> a.status() != 429);
  }

  private static long deadLetterCount() {
    long count = 0;
    long after = 0;
    while (true) {
      JsonObject page = api.get("/admin/dead-letters?limit=500&after=" + after, adminToken).json();
      count += page.getJsonArray("deadLetters").size();
      if (page.getValue("next") == null) {
        return count;
      }
      after = page.getLong("next");
    }
  }

  private static void signIn(String token) {
    WebElement field = byId("token");
    field.clear();
    field.sendKeys(token);
    byId("sign-in-button").click();
  }

  private static void fill(Map<String, String> values) {
    values.forEach((id, value) -> {
      WebElement input = byId(id);
      input.clear();
      input.sendKeys(value);
    });
  }

  private static WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  private static String text(String id) {
    return byId(id).getText().trim();
  }

  private static String awaitVisibleText(String id) {
    Poll.await(PAGE_WAIT, "#" + id + " shown", () -> byId(id).isDisplayed() && !text(id).isEmpty());
    return text(id);
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  /**
   * Every figure of the sale view as a number (a blank one, shown as a dash, is -1), read in one
   * script run: the page cannot re-render between two figures of one reading.
   */
  private static Map<String, Long> figures() {
    @SuppressWarnings("unchecked")
    List<List<Object>> shown = (List<List<Object>>) js("return Array.from(document.querySelectorAll("
        + "'#sale-view dd[data-field]')).map(dd => [dd.dataset.field, dd.textContent])");
    Map<String, Long> figures = new LinkedHashMap<>();
    for (List<Object> field : shown) {
      String value = field.get(1).toString().replace(",", "").trim();
      long number = value.isEmpty() || value.equals("\u2013") ? -1 : Math.round(Math.ceil(Double.parseDouble(value)));
      figures.put(field.get(0).toString(), number);
    }
    reconciliationSeen.add(text("reconciliation-state"));
    return figures;
  }

  private static Map<String, Long> awaitFigures(String what, java.util.function.Predicate<Map<String, Long>> done) {
    return awaitFigures(PAGE_WAIT, what, done);
  }

  private static Map<String, Long> awaitFigures(Duration deadline, String what,
                                                java.util.function.Predicate<Map<String, Long>> done) {
    Map<String, Long> seen = Poll.until(deadline, OperatorConsoleIT::figures,
        f -> !f.isEmpty() && f.values().stream().noneMatch(v -> v == null) && done.test(f));
    assertTrue(seen != null && done.test(seen), "the console never showed " + what + "; it showed " + seen
        + ", badge '" + text("sold-out") + "', reconciliation '" + text("reconciliation-state") + "', errors '"
        + text("watch-error") + "'");
    return seen;
  }

  private static void assertNoHorizontalScroll() {
    Number scroll = (Number) js("return document.documentElement.scrollWidth");
    Number viewport = (Number) js("return document.documentElement.clientWidth");
    assertTrue(scroll.intValue() <= viewport.intValue(),
        "the page scrolls sideways on a " + WIDTH + " px screen: " + scroll + " > " + viewport);
  }

  /** The page's own URL and every URL it fetched: none carries the token or any piece of it. */
  private static void assertNoTokenInAnyUrl() {
    @SuppressWarnings("unchecked")
    List<Object> urls = new ArrayList<>((List<Object>) js(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"));
    assertTrue(urls.stream().anyMatch(u -> u.toString().contains("/admin/sales/" + saleId)), urls.toString());
    String[] parts = adminToken.split("\\.");
    for (Object url : urls) {
      for (String part : parts) {
        assertFalse(url.toString().contains(part), "a URL carries the token: " + url);
      }
      assertFalse(url.toString().contains("#"), "a URL with a fragment: " + url);
    }
  }

  private static void screenshot(String name) throws Exception {
    browser.findElement(By.id("watch-panel")).getLocation(); // laid out
    js("document.getElementById('watch-panel').scrollIntoView()");
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Path out = ServiceProcess.repoRoot().resolve("load-tests").resolve("results").resolve(name);
    Files.createDirectories(out.getParent());
    Files.write(out, png);
    assertTrue(Files.size(out) > 10_000, "a screenshot of the page, not a blank: " + out);
  }
}
