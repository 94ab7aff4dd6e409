package io.resdet.streamservice;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The HTTP API token ({@code http-token}). Accepted as {@code Authorization: Bearer <token>}, and, because a browser's
 * page and its EventSource cannot set headers, as {@code ?token=} or the {@link #COOKIE} cookie that visiting
 * {@code /?token=} sets. {@code /health/*} stays open: orchestrators probe it without secrets and it reveals nothing.
 */
final class ApiToken {
    static final String COOKIE = "resdet_token";
    private final byte[] digest;

    /** {@code token}: null for no token (every request passes). */
    ApiToken(String token) {
        this.digest = token == null ? null : sha256(token);
    }

    /** Route handler: lets the request through when it carries the token, else 401. */
    void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (digest == null || req.path().startsWith("/health/")) {
            ctx.next();
            return;
        }
        String query = req.getParam("token");
        if (matches(query) && "/".equals(req.path()) && req.method().name().equals("GET")) {
            // Remember the token for the page's own requests (EventSource) and take it out of the address bar.
            req.response().addCookie(Cookie.cookie(COOKIE, query).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT))
                    .putHeader("location", "/").setStatusCode(303).end();
            return;
        }
        String auth = req.getHeader("authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Cookie cookie = req.getCookie(COOKIE);
        if (matches(bearer) || matches(query) || cookie != null && matches(cookie.getValue())) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401).putHeader("www-authenticate", "Bearer realm=\"resdet\"")
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", "missing or wrong API token: send 'Authorization: Bearer <token>' (browsers: open /?token=<token>)").encode());
    }

    /** Constant time: both sides hashed to 32 bytes first, so neither content nor length shows in the timing. */
    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(digest, sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JRE has SHA-256
        }
    }
}
