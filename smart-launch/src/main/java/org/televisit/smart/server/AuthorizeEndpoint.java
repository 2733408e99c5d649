package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.State;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.smart.scopes.ResourceScope;
import org.televisit.smart.scopes.Scopes;

/**
 * The authorize endpoint (GET and POST share it): checks the app and its exact redirect URI before
 * anything else, then response_type=code, state, PKCE S256 (plain refused), aud = this FHIR base,
 * the scopes (only what the app is registered for is granted), and the EHR launch value. Codes are
 * single-use, live at most 60 s, and are bound to the app, the redirect URI and the PKCE challenge.
 */
public final class AuthorizeEndpoint {

  private static final Logger log = LoggerFactory.getLogger(AuthorizeEndpoint.class);

  private final ClientRegistry clients;
  private final EhrLaunches launches;
  private final ServerUrls urls;
  private final ServerSettings settings;
  private final Sql sql;
  private final Clock clock;

  AuthorizeEndpoint(
      ClientRegistry clients,
      EhrLaunches launches,
      DataSource dataSource,
      ServerUrls urls,
      ServerSettings settings,
      Clock clock) {
    this.clients = clients;
    this.launches = launches;
    this.sql = new Sql(dataSource);
    this.urls = urls;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Answers one authorization request. {@code user} is the signed-in user's FHIR reference (e.g.
   * Practitioner/12) if any; {@code pickedPatient} the patient picked for a standalone launch.
   */
  public AuthorizeOutcome authorize(
      Map<String, List<String>> params, Optional<String> user, Optional<String> pickedPatient) {
    SmartClient client = clients.find(first(params, "client_id")).orElse(null);
    if (client == null) {
      return new AuthorizeOutcome.Refused(
          "The app asking to sign you in is not registered with this server.");
    }
    URI redirect = uri(first(params, "redirect_uri"));
    if (redirect == null || !client.hasRedirectUri(redirect)) {
      return new AuthorizeOutcome.Refused(
          "The app \""
              + client.name()
              + "\" asked to return to an address it did not register, so it was stopped.");
    }
    String stateValue = first(params, "state");
    State state = stateValue == null ? null : new State(stateValue);
    if (!"code".equals(first(params, "response_type"))) {
      return error(
          redirect, state, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code");
    }
    if (state == null) {
      return error(redirect, null, OAuth2Error.INVALID_REQUEST, "state is required");
    }
    String method = first(params, "code_challenge_method");
    String challenge = first(params, "code_challenge");
    if (challenge == null || method == null) {
      return error(
          redirect,
          state,
          OAuth2Error.INVALID_REQUEST,
          "PKCE is required: code_challenge with method S256");
    }
    if (!"S256".equals(method)) {
      return error(
          redirect,
          state,
          OAuth2Error.INVALID_REQUEST,
          "code_challenge_method must be S256 (plain is not accepted)");
    }
    if (!challenge.matches("[A-Za-z0-9_-]{43}")) {
      return error(
          redirect, state, OAuth2Error.INVALID_REQUEST, "code_challenge is not an S256 challenge");
    }
    if (!urls.isAudience(first(params, "aud"))) {
      return error(
          redirect, state, OAuth2Error.INVALID_REQUEST, "aud must be this server's FHIR base URL");
    }
    Scopes requested;
    try {
      requested = Scopes.parse(first(params, "scope"));
    } catch (Scopes.InvalidScope e) {
      return error(redirect, state, OAuth2Error.INVALID_SCOPE, e.getMessage());
    }
    if (requested.resourceScopes().stream()
        .anyMatch(s -> s.context() == ResourceScope.Context.SYSTEM)) {
      return error(
          redirect,
          state,
          OAuth2Error.INVALID_SCOPE,
          "system/ scopes are for backend services, not for users");
    }
    Scopes granted = Scopes.intersect(requested, client.scopes());
    if (granted.resourceScopes().isEmpty() && !granted.has("openid")) {
      return error(
          redirect,
          state,
          OAuth2Error.INVALID_SCOPE,
          "none of the requested scopes is allowed for this app");
    }

    GrantContext context = GrantContext.none();
    if (requested.has("launch")) {
      Optional<GrantContext> launched = launches.resolve(first(params, "launch"));
      if (launched.isEmpty()) {
        return error(redirect, state, OAuth2Error.INVALID_REQUEST, "unknown or expired launch");
      }
      context = launched.get();
    }
    String requiredUser = context.user();
    boolean needsPatient = granted.has("launch/patient") && context.patient() == null;
    if (user.isEmpty()
        || (requiredUser != null && !requiredUser.equals(user.get()))
        || (needsPatient && pickedPatient.isEmpty())) {
      return new AuthorizeOutcome.SignInNeeded(client.name(), requiredUser, needsPatient);
    }
    context = context.withUser(user.get());
    if (needsPatient) {
      context = context.withPatient(pickedPatient.get());
    }

    AuthorizationCode code = new AuthorizationCode(32);
    sql.update(
        "INSERT INTO televisit.smart_code (code_hash, client_id, redirect_uri, code_challenge, scope, nonce,"
            + " context, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        Digests.sha256(code.getValue()),
        client.clientId(),
        redirect.toString(),
        challenge,
        granted.asString(),
        first(params, "nonce"),
        context.toJson(),
        clock.instant().plus(settings.codeLife()));
    log.debug("code issued to {}", client.clientId());
    return new AuthorizeOutcome.Redirect(
        new AuthorizationSuccessResponse(redirect, code, null, state, ResponseMode.QUERY).toURI());
  }

  private static AuthorizeOutcome error(
      URI redirect, State state, ErrorObject error, String description) {
    return new AuthorizeOutcome.Redirect(
        new AuthorizationErrorResponse(
                redirect, error.setDescription(description), state, ResponseMode.QUERY)
            .toURI());
  }

  /** One value of a parameter; a repeated parameter counts as absent (RFC 6749 §3.1). */
  static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.size() != 1 || values.get(0) == null || values.get(0).isBlank()) {
      return null;
    }
    return values.get(0);
  }

  private static URI uri(String value) {
    if (value == null) {
      return null;
    }
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
