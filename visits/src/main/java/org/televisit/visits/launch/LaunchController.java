package org.televisit.visits.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.televisit.smart.launch.IssuerRegistry;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.launch.LaunchFlow;
import org.televisit.smart.launch.LaunchRefused;
import org.televisit.smart.launch.PendingLaunch;
import org.televisit.smart.launch.RegisteredIssuer;
import org.televisit.smart.server.ServerUrls;
import org.televisit.visits.web.Pages;

/**
 * The EHR's way in: /launch (EHR or standalone launch) and /callback. The launch state and the
 * resulting tokens live in the server-side session; the browser holds only the session cookie.
 */
@RestController
public class LaunchController {

  private static final Logger log = LoggerFactory.getLogger(LaunchController.class);
  static final String PENDING = LaunchSession.PENDING;
  static final String CONTEXT = LaunchSession.CONTEXT;

  private final LaunchFlow flow;
  private final SmartClientProperties properties;
  private final IssuerRegistry registry;
  private final ClientKeys keys;
  private final String publicUrl;

  private final ServerUrls urls;

  LaunchController(
      LaunchFlow flow,
      SmartClientProperties properties,
      IssuerRegistry registry,
      ClientKeys keys,
      @Value("${televisit.public-url:}") String publicUrl,
      ServerUrls urls) {
    this.urls = urls;
    this.flow = flow;
    this.properties = properties;
    this.registry = registry;
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  /** Televisit's public client keys, for EHRs that register it with private_key_jwt. */
  @GetMapping(value = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .header("Cache-Control", "public, max-age=300")
        .body(keys.publicKeys().toJSONObject(true));
  }

  /** Standalone launch: pick one of the registered EHRs. */
  @GetMapping(value = "/launch", params = "!iss", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> chooseEhr(@RequestParam(required = false) String launch) {
    if (launch != null) {
      throw new LaunchRefused("The launch did not say which EHR it came from (iss is missing).");
    }
    StringBuilder list = new StringBuilder();
    for (RegisteredIssuer issuer : registry.all()) {
      String base = issuer.fhirBase().toString();
      list.append("<li><a href=\"/launch?iss=")
          .append(HtmlUtils.htmlEscape(URLEncoder.encode(base, StandardCharsets.UTF_8)))
          .append("\">")
          .append(HtmlUtils.htmlEscape(base))
          .append("</a></li>");
    }
    String body =
        list.isEmpty()
            ? "<p>No EHR is registered with Televisit yet (televisit.smart.issuers).</p>"
            : "<p>Sign in through your EHR:</p><ul>" + list + "</ul>";
    return ResponseEntity.ok(page("Start Televisit", body));
  }

  @GetMapping(value = "/launch", params = "iss")
  ResponseEntity<Void> launch(
      @RequestParam String iss,
      @RequestParam(required = false) String launch,
      HttpServletRequest request) {
    LaunchFlow.Authorization authorization = flow.authorize(iss, launch, redirectUri(request));
    HttpSession session = request.getSession(true);
    session.setAttribute(PENDING, authorization.pending());
    log.info("SMART launch started ({} launch)", launch != null ? "EHR" : "standalone");
    return ResponseEntity.status(HttpStatus.FOUND).location(authorization.redirect()).build();
  }

  @GetMapping("/callback")
  ResponseEntity<Void> callback(
      @RequestParam(required = false) String code,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String error,
      @RequestParam(name = "error_description", required = false) String errorDescription,
      HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    PendingLaunch pending = null;
    if (session != null) {
      // taken out before use: a second callback with the same state finds nothing
      pending = (PendingLaunch) session.getAttribute(PENDING);
      session.removeAttribute(PENDING);
    }
    LaunchContext context = flow.complete(pending, state, code, error, errorDescription);
    request.changeSessionId(); // a new session id once signed in (no fixation)
    request.getSession().setAttribute(CONTEXT, context);
    log.info("SMART launch completed for client {}", context.issuer().clientId());
    return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/console")).build();
  }

  /** The launch context for the console page: no tokens, ever. */
  @GetMapping("/api/console/context")
  ResponseEntity<Map<String, Object>> context(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    LaunchContext context = session == null ? null : (LaunchContext) session.getAttribute(CONTEXT);
    if (context == null) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .body(
              Map.of(
                  "message", "No visit is open in this browser. Launch Televisit from the EHR."));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("iss", context.issuer().fhirBase().toString());
    body.put("patient", context.patient());
    body.put("encounter", context.encounter());
    body.put("fhirContext", context.fhirContext());
    body.put("fhirUser", context.fhirUser() != null ? context.fhirUser().toString() : null);
    body.put("needPatientBanner", context.needPatientBanner());
    body.put("smartStyleUrl", context.smartStyleUrl());
    body.put("intent", context.intent());
    body.put("tenant", context.tenant());
    body.put("scope", context.granted().asString());
    // for another EHR: what its grant leaves out (Televisit's own sandbox grants what it asks)
    body.put(
        "featuresOff",
        urls.isAudience(context.issuer().fhirBase().toString())
            ? List.of()
            : LaunchFeatures.off(context, ZoneId.systemDefault()));
    return ResponseEntity.ok(body);
  }

  @ExceptionHandler(LaunchRefused.class)
  ResponseEntity<String> refused(LaunchRefused refused) {
    log.warn("SMART launch refused: {}", refused.getMessage());
    String body =
        "<p>"
            + HtmlUtils.htmlEscape(refused.getMessage())
            + "</p>"
            + "<p>Close this window and launch Televisit again from the patient's chart. If it keeps happening,"
            + " tell your IT service desk the time it happened.</p>";
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.TEXT_HTML)
        .body(page("Televisit could not start", body));
  }

  private static String page(String title, String body) {
    return Pages.page(title, body);
  }

  private URI redirectUri(HttpServletRequest request) {
    if (properties.redirectUri() != null) {
      return properties.redirectUri();
    }
    String base =
        publicUrl != null && !publicUrl.isBlank()
            ? publicUrl
            : UriComponentsBuilder.fromUriString(request.getRequestURL().toString())
                .replacePath(null)
                .replaceQuery(null)
                .toUriString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/callback");
  }
}
