package org.televisit.visits.launch;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.televisit.smart.launch.LaunchContext;

/**
 * Who may frame Televisit's pages. The console may be shown inside the frame of the EHR that launched
 * it (its registered frame-ancestors) and by Televisit itself; every other page (join links, the
 * sandbox, sign-in) may not be framed at all (clickjacking). Plus the usual hardening headers.
 */
@Component
class EhrFraming extends OncePerRequestFilter {

  private final Map<String, String> ancestorsByIssuer;

  EhrFraming(SmartClientProperties properties) {
    this.ancestorsByIssuer = properties.issuersOrEmpty().stream()
        .filter(i -> i.frameAncestors() != null && !i.frameAncestors().isEmpty())
        .collect(Collectors.toMap(i -> IssuerKey.of(i.fhirBase().toString()), i -> String.join(" ", i.frameAncestors()), (a, b) -> a));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    if (!path.startsWith("/fhir") && !path.startsWith("/oauth/token") && !path.startsWith("/actuator")) {
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Referrer-Policy", "no-referrer");
      String ancestors = "'none'";
      if (path.equals("/console") || path.equals("/console.html")) {
        ancestors = "'self'" + extraFor(request);
      }
      response.setHeader("Content-Security-Policy", "frame-ancestors " + ancestors);
      if (path.startsWith("/join/") || path.startsWith("/console")) {
        response.setHeader("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
      }
    }
    chain.doFilter(request, response);
  }

  private String extraFor(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    LaunchContext context = session == null ? null : (LaunchContext) session.getAttribute(LaunchController.CONTEXT);
    if (context == null) {
      return "";
    }
    String extra = ancestorsByIssuer.get(IssuerKey.of(context.issuer().fhirBase().toString()));
    return extra == null ? "" : " " + extra;
  }

  /** Issuers compared without a trailing slash. */
  static final class IssuerKey {
    static String of(String base) {
      return base.replaceAll("/+$", "");
    }

    private IssuerKey() {}
  }

}
