package org.televisit.visits.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Televisit's plain server-rendered pages and the one-per-session token that guards their forms.
 */
public final class Pages {

  private static final String FORM_TOKEN = "televisit.form-token";
  private static final SecureRandom random = new SecureRandom();

  private static final String HEAD =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  private static final String STYLE =
      "</title>\n<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
          + "padding:0 1rem;color:#1d2733}\nlabel{display:block;margin:1rem 0 .3rem;font-weight:600}select,button{font-size:1rem;"
          + "padding:.4rem;width:100%}\nbutton{margin-top:1.5rem;background:#0b5cad;color:#fff;border:0;border-radius:.3rem;"
          + "padding:.7rem}</style>\n</head><body><main><h1>";

  /** A page; {@code title} and {@code body} must already be escaped HTML. */
  public static String page(String title, String body) {
    return HEAD + title + STYLE + title + "</h1>" + body + "</main></body></html>\n";
  }

  /** A page written straight to a servlet response (the join page is served without Spring MVC). */
  public static void write(HttpServletResponse response, int status, String title, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(page(title, body));
  }

  public static ResponseEntity<String> html(HttpStatus status, String title, String body) {
    return ResponseEntity.status(status)
        .contentType(MediaType.TEXT_HTML)
        .header("Cache-Control", "no-store")
        .body(page(title, body));
  }

  /** The hidden field every form of a signed-in page carries (cross-site request forgery guard). */
  public static String formToken(HttpSession session) {
    String token = (String) session.getAttribute(FORM_TOKEN);
    if (token == null) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.setAttribute(FORM_TOKEN, token);
    }
    return "<input type=\"hidden\" name=\"form_token\" value=\"" + token + "\">";
  }

  public static boolean formTokenMatches(HttpSession session, String sent) {
    String expected = session == null ? null : (String) session.getAttribute(FORM_TOKEN);
    return expected != null
        && sent != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
  }

  private Pages() {}
}
