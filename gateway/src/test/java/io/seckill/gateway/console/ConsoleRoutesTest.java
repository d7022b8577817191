package io.seckill.gateway.console;

import io.seckill.gateway.support.IsolatedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's files as an in-process gateway serves them (its upstreams are down: the console
 * needs neither to be served): where they are, their security headers, and what they must not
 * contain. The browser drives them in {@code OperatorConsoleIT}.
 */
class ConsoleRoutesTest {

  private static final String SECRET = "console-test-secret-0123456789abcdef-0123456789";
  private static IsolatedGateway isolated;
  private static String base;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    isolated = IsolatedGateway.start(Map.of("SECKILL_JWT_SECRET", SECRET));
    base = isolated.baseUrl();
    http = isolated.http();
  }

  @AfterAll
  static void stop() throws Exception {
    isolated.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return isolated.get(path);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  @Test
  void redirectsTheBarePathToTheIndex() throws Exception {
    HttpResponse<String> bare = get("/admin/console");
    assertEquals(301, bare.statusCode());
    assertEquals("/admin/console/", header(bare, "Location"));
  }

  @Test
  void servesThePageScriptAndStylesheetWithAStrictPolicy() throws Exception {
    for (String[] file : List.of(new String[] {"/admin/console/", "text/html"},
        new String[] {"/admin/console/index.html", "text/html"},
        new String[] {"/admin/console/console.js", "javascript"},
        new String[] {"/admin/console/console.css", "text/css"})) {
      HttpResponse<String> answer = get(file[0]);
      assertEquals(200, answer.statusCode(), file[0]);
      assertTrue(header(answer, "Content-Type").contains(file[1]), file[0] + ": " + header(answer, "Content-Type"));
      String csp = header(answer, "Content-Security-Policy");
      assertEquals(ConsoleRoutes.CSP, csp, file[0]);
      assertFalse(csp.contains("unsafe"), csp);
      assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'")
          && csp.contains("form-action 'none'") && csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", header(answer, "X-Content-Type-Options"), file[0]);
      assertEquals("no-referrer", header(answer, "Referrer-Policy"), file[0]);
      assertEquals("no-cache", header(answer, "Cache-Control"), file[0]);
    }
  }

  @Test
  void answersHeadLikeGet() throws Exception {
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/console/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertEquals(ConsoleRoutes.CSP, header(head, "Content-Security-Policy"));
  }

  @Test
  void pageHasNoInlineScriptStyleOrHandler() throws Exception {
    String page = get("/admin/console/").body();
    // every <script> loads a file; no inline event handler, no style attribute, no <style> block
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(page).find(), page);
    assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find(), page);
    assertFalse(Pattern.compile("\\sstyle\\s*=|<style", Pattern.CASE_INSENSITIVE).matcher(page).find(), page);
    // the token field has no name, so no form submission could ever carry it
    assertTrue(Pattern.compile("<input id=\"token\" type=\"password\"(?![^>]*\\bname=)[^>]*>").matcher(page).find(), page);
  }

  @Test
  void filesHoldNoSecretAndPutNoTokenInAUrl() throws Exception {
    for (String file : List.of("/admin/console/", "/admin/console/console.js", "/admin/console/console.css")) {
      String text = get(file).body();
      assertFalse(text.contains(SECRET), file);
      assertFalse(text.contains("eyJ"), file + " holds something like a JWT");
      assertFalse(Pattern.compile("[?&#](access_)?token=", Pattern.CASE_INSENSITIVE).matcher(text).find(),
          file + " builds a URL with a token");
    }
    String script = get("/admin/console/console.js").body();
    assertTrue(script.contains("headers['Authorization'] = 'Bearer ' + token"), "the token goes in the header");
    assertFalse(script.contains("localStorage"), "the token is kept per tab (sessionStorage), not on disk for every tab");
    assertFalse(script.contains("innerHTML"), "API text is written as text, never parsed as HTML");
  }

  @Test
  void unknownFilesAndPathTricksAreProblems() throws Exception {
    for (String path : List.of("/admin/console/nothing.js", "/admin/console/.hidden",
        "/admin/console/../../etc/passwd", "/admin/console/%2e%2e/%2e%2e/etc/passwd")) {
      HttpResponse<String> answer = get(path);
      assertTrue(answer.statusCode() == 404 || answer.statusCode() == 400, path + ": " + answer.statusCode());
      assertFalse(answer.body().contains("root:"), path);
    }
  }

  @Test
  void adminApiAnswersAreNeverCached() throws Exception {
    for (String path : List.of("/admin/sales/some-sale", "/admin/dead-letters")) {
      HttpResponse<String> refused = get(path); // no token: 401, and still not to be stored
      assertEquals(401, refused.statusCode(), path);
      assertEquals("no-store", header(refused, "Cache-Control"), path);
      assertEquals("nosniff", header(refused, "X-Content-Type-Options"), path);
    }
  }
}
