package org.televisit.visits.launch;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.launch.PendingLaunch;
import org.televisit.smart.server.ServerUrls;

/**
 * Who may frame Televisit's pages. What an EHR shows inside its chart's frame — the launch, the
 * callback, and the console — may be framed by that EHR's registered frame-ancestors (and by
 * Televisit itself); the sandbox EHR's sign-in page by the sandbox's chart origins. Every other
 * page (join links, the launcher, errors elsewhere) may not be framed at all (clickjacking). The
 * console and join pages may use camera and microphone on their own origin (the EHR's iframe still
 * has to allow them, with {@code allow="camera; microphone"}). Plus the usual hardening headers.
 */
@Component
class EhrFraming extends OncePerRequestFilter {

  private static final Set<String> IN_THE_EHR_FRAME =
      Set.of("/console", "/console.html", "/launch", "/callback");

  private final Map<String, String> ancestorsByIssuer;
  private final String sandboxAncestors;

  EhrFraming(
      SmartClientProperties properties,
      ServerUrls urls,
      @Value("${televisit.sandbox.frame-ancestors:}") List<String> sandboxAncestors) {
    Map<String, String> byIssuer = new HashMap<>();
    properties.issuers().stream()
        .filter(i -> i.frameAncestors() != null && !i.frameAncestors().isEmpty())
        .forEach(
            i ->
                byIssuer.putIfAbsent(
                    IssuerKey.of(i.fhirBase().toString()), String.join(" ", i.frameAncestors())));
    this.sandboxAncestors =
        String.join(" ", sandboxAncestors.stream().filter(a -> !a.isBlank()).toList());
    if (!this.sandboxAncestors.isEmpty()) {
      // the sandbox EHR is Televisit's own FHIR base; its chart page frames the app from these
      // origins
      byIssuer.putIfAbsent(IssuerKey.of(urls.fhirBase().toString()), this.sandboxAncestors);
    }
    this.ancestorsByIssuer = Map.copyOf(byIssuer);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    if (!path.startsWith("/fhir")
        && !path.startsWith("/oauth/token")
        && !path.startsWith("/actuator")) {
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Referrer-Policy", "no-referrer");
      String ancestors = "'none'";
      if (IN_THE_EHR_FRAME.contains(path)) {
        ancestors = "'self'" + extra(ancestorsByIssuer.get(IssuerKey.of(issuerOf(request))));
      } else if (path.equals("/sandbox/sign-in") || path.equals("/oauth/authorize")) {
        ancestors = "'self'" + extra(sandboxAncestors);
      }
      response.setHeader("Content-Security-Policy", "frame-ancestors " + ancestors);
      if (path.startsWith("/join/") || path.startsWith("/console")) {
        response.setHeader(
            "Permissions-Policy",
            "camera=(self), microphone=(self), display-capture=(self), geolocation=()");
      }
    }
    chain.doFilter(request, response);
  }

  private static String extra(String ancestors) {
    return ancestors == null || ancestors.isEmpty() ? "" : " " + ancestors;
  }

  /**
   * The EHR this request belongs to: the launch's iss, else the pending or completed launch in the
   * session.
   */
  private static String issuerOf(HttpServletRequest request) {
    if (request.getRequestURI().equals("/launch") && request.getParameter("iss") != null) {
      return request.getParameter("iss");
    }
    HttpSession session = request.getSession(false);
    if (session == null) {
      return "";
    }
    if (session.getAttribute(LaunchSession.CONTEXT) instanceof LaunchContext context) {
      return context.issuer().fhirBase().toString();
    }
    if (session.getAttribute(LaunchSession.PENDING) instanceof PendingLaunch pending) {
      return pending.issuer().fhirBase().toString();
    }
    return "";
  }

  /** Issuers compared without a trailing slash. */
  static final class IssuerKey {
    static String of(String base) {
      return base.replaceAll("/+$", "");
    }

    private IssuerKey() {}
  }
}
