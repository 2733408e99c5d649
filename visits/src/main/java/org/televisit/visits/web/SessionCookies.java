package org.televisit.visits.web;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.AbstractServletWebServerFactory;
import org.springframework.stereotype.Component;

/**
 * The session cookie as the way Televisit is reached needs it. Over HTTPS (its public URL, whether
 * Tomcat or a proxy ends TLS) the console runs inside the EHR's frame on another site, where only a
 * {@code SameSite=None; Secure} cookie is sent; {@code Partitioned} keeps it to that EHR's frame
 * (CHIPS) and lets browsers that block third-party cookies keep it. Over plain HTTP (a local run)
 * it stays {@code Lax}, which browsers require there. Every state-changing call either consumes
 * JSON (a cross-site page cannot send that without a CORS preflight, which Televisit refuses) or
 * carries the page's form token, so SameSite is not what guards them.
 */
@Component
class SessionCookies implements WebServerFactoryCustomizer<AbstractServletWebServerFactory> {

  private final boolean https;

  SessionCookies(@Value("${televisit.public-url}") String publicUrl) {
    this.https = "https".equalsIgnoreCase(URI.create(publicUrl).getScheme());
  }

  @Override
  public void customize(AbstractServletWebServerFactory factory) {
    Cookie cookie = factory.getSession().getCookie();
    cookie.setHttpOnly(true);
    if (https) {
      cookie.setSecure(true);
      cookie.setSameSite(Cookie.SameSite.NONE);
      cookie.setPartitioned(true);
    } else {
      cookie.setSameSite(Cookie.SameSite.LAX);
    }
  }
}
