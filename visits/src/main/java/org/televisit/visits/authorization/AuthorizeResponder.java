package org.televisit.visits.authorization;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import org.televisit.smart.server.AuthorizeOutcome;
import org.televisit.smart.server.SecurityEvent;
import org.televisit.smart.server.SmartServer;
import org.televisit.visits.web.Pages;

/**
 * Turns the authorize endpoint's answer into HTTP: a page, a redirect back to the app, or a detour
 * through the sandbox EHR's sign-in (the request waits in the session, then is answered again).
 */
@Component
public class AuthorizeResponder {

  /** The signed-in sandbox user, a FHIR reference such as Practitioner/12. */
  public static final String USER = "televisit.sandbox.user";

  /** The patient picked at sign-in for a standalone launch/patient. */
  public static final String PICKED_PATIENT = "televisit.sandbox.patient";

  /** The authorization request waiting for the sign-in. */
  public static final String PENDING = "televisit.oauth.pending";

  /**
   * An authorization request held across the sign-in; serializable for database-backed sessions.
   */
  public record PendingSignIn(
      HashMap<String, ArrayList<String>> params,
      String appName,
      String requiredUser,
      boolean needsPatient)
      implements Serializable {}

  private static final Logger log = LoggerFactory.getLogger(AuthorizeResponder.class);

  private final SmartServer server;
  private final SecurityAudit audit;
  private final boolean sandbox;

  AuthorizeResponder(
      SmartServer server,
      SecurityAudit audit,
      @Value("${televisit.sandbox.enabled:true}") boolean sandbox) {
    this.server = server;
    this.audit = audit;
    this.sandbox = sandbox;
  }

  public ResponseEntity<String> answer(
      Map<String, List<String>> params, HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    Optional<String> user = Optional.ofNullable((String) session.getAttribute(USER));
    Optional<String> picked = Optional.ofNullable((String) session.getAttribute(PICKED_PATIENT));
    AuthorizeOutcome outcome = server.authorizeEndpoint().authorize(params, user, picked);
    String client = params.getOrDefault("client_id", List.of("?")).get(0);
    if (outcome instanceof AuthorizeOutcome.Refused refused) {
      log.info("authorize refused for client {}: {}", client, refused.message());
      audit.record(new SecurityEvent(SecurityEvent.Kind.AUTHORIZE, null, false, refused.message()));
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "Sign-in stopped",
          "<p>"
              + HtmlUtils.htmlEscape(refused.message())
              + "</p><p>Close this window and start the app again from the EHR. If it keeps happening, tell your IT"
              + " service desk the time it happened.</p>");
    }
    if (outcome instanceof AuthorizeOutcome.Redirect redirect) {
      session.removeAttribute(PENDING);
      session.removeAttribute(PICKED_PATIENT);
      String query = redirect.location().getRawQuery();
      boolean success = query != null && (query.startsWith("code=") || query.contains("&code="));
      audit.record(
          new SecurityEvent(
              SecurityEvent.Kind.AUTHORIZE,
              client,
              success,
              success ? "code issued" : "error returned to the app"));
      return ResponseEntity.status(HttpStatus.FOUND)
          .location(redirect.location())
          .header("Cache-Control", "no-store")
          .build();
    }
    AuthorizeOutcome.SignInNeeded signIn = (AuthorizeOutcome.SignInNeeded) outcome;
    if (!sandbox) {
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "No sign-in here",
          "<p>This Televisit server has no user sign-in: its authorization server serves backend services only"
              + " (the sandbox EHR is switched off).</p>");
    }
    HashMap<String, ArrayList<String>> copy = new HashMap<>();
    params.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    session.setAttribute(
        PENDING,
        new PendingSignIn(copy, signIn.appName(), signIn.requiredUser(), signIn.needsPatient()));
    return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/sandbox/sign-in")).build();
  }

  public static Map<String, List<String>> params(HttpServletRequest request) {
    Map<String, List<String>> params = new HashMap<>();
    request.getParameterMap().forEach((k, v) -> params.put(k, List.of(v)));
    return params;
  }
}
