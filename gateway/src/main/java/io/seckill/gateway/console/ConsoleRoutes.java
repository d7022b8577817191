package io.seckill.gateway.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operator console: {@code GET /admin/console/} serves a static page, one script and one
 * stylesheet from the gateway jar ({@code console/} on the classpath). The files hold no secret and
 * need no token; every call the page makes goes to the admin API with the operator's token in the
 * {@code Authorization} header, never in a URL.
 *
 * <p>The page is served with a Content-Security-Policy that allows only this origin's own script,
 * style and API ({@code connect-src 'self'}), no inline script or style, no framing and no form
 * submission: a form that the script did not handle cannot send the token anywhere, not even as a
 * query string back to this page.
 */
public final class ConsoleRoutes {

  /** Where the console lives; the index is {@code PATH + "/"}. */
  public static final String PATH = "/admin/console";
  static final String CSP = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'");

  private ConsoleRoutes() {
  }

  /** Mounts the console on {@code router}; {@code named} labels the route for the request metrics. */
  public static void mount(Router router, io.vertx.core.Handler<RoutingContext> named) {
    // Vert.x matches PATH with or without the trailing slash: only the bare path is redirected
    router.get(PATH).handler(named).handler(ctx -> {
      if (PATH.equals(ctx.request().path())) {
        ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, PATH + "/").end();
      } else {
        ctx.next();
      }
    });
    StaticHandler files = StaticHandler.create("console")
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8");
    router.route(PATH + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(named).handler(ConsoleRoutes::headers).handler(files);
  }

  private static void headers(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        // revalidated on every load, so a new gateway's console is never mixed with an old script
        .set(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }
}
