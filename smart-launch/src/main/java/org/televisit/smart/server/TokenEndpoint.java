package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.smart.scopes.ResourceScope;
import org.televisit.smart.scopes.Scopes;

/**
 * The token endpoint: authorization_code (with PKCE), refresh_token (rotating, bound to the app)
 * and client_credentials (SMART backend services: private_key_jwt, system/ scopes, at most 300 s).
 * Every refusal is an RFC 6749 error; oauth2-oidc-sdk writes the responses, with Cache-Control:
 * no-store and Pragma: no-cache.
 */
public final class TokenEndpoint {

  private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);

  private record StoredCode(
      String clientId,
      String redirectUri,
      String challenge,
      String scope,
      String nonce,
      GrantContext context) {}

  private record UsedCode(String grantId) {}

  private final ClientAuthenticator authenticator;
  private final Grants grants;
  private final AccessTokens tokens;
  private final ServerUrls urls;
  private final ServerSettings settings;
  private final Sql sql;
  private final Clock clock;
  private final SecurityEvent.Sink events;

  TokenEndpoint(
      ClientAuthenticator authenticator,
      Grants grants,
      AccessTokens tokens,
      DataSource dataSource,
      ServerUrls urls,
      ServerSettings settings,
      Clock clock,
      SecurityEvent.Sink events) {
    this.authenticator = authenticator;
    this.grants = grants;
    this.tokens = tokens;
    this.sql = new Sql(dataSource);
    this.urls = urls;
    this.settings = settings;
    this.clock = clock;
    this.events = events;
  }

  public HTTPResponse token(HTTPRequest httpRequest) {
    TokenRequest request;
    try {
      request = ClientRefused.parsed(TokenRequest::parse, httpRequest);
    } catch (ClientRefused refused) {
      return refuse(null, SecurityEvent.Kind.TOKEN, refused);
    }
    AuthorizationGrant grant = request.getAuthorizationGrant();
    SecurityEvent.Kind kind =
        grant instanceof ClientCredentialsGrant
            ? SecurityEvent.Kind.BACKEND_TOKEN
            : grant instanceof RefreshTokenGrant
                ? SecurityEvent.Kind.REFRESH
                : SecurityEvent.Kind.TOKEN;
    SmartClient client = null;
    try {
      client = authenticator.authenticate(request.getClientAuthentication(), request.getClientID());
      HTTPResponse response;
      if (grant instanceof AuthorizationCodeGrant code) {
        response = exchangeCode(client, code);
      } else if (grant instanceof RefreshTokenGrant refresh) {
        response = refresh(client, refresh, request.getScope());
      } else if (grant instanceof ClientCredentialsGrant) {
        response = backendServices(client, request.getScope());
      } else {
        throw new ClientRefused(
            OAuth2Error.UNSUPPORTED_GRANT_TYPE, "unsupported grant_type " + grant.getType());
      }
      events.record(new SecurityEvent(kind, client.clientId(), true, "issued"));
      return response;
    } catch (ClientRefused refused) {
      return refuse(client != null ? client.clientId() : null, kind, refused);
    }
  }

  private HTTPResponse refuse(String clientId, SecurityEvent.Kind kind, ClientRefused refused) {
    log.info(
        "token refused: {} ({}) for client {}",
        refused.error().getCode(),
        refused.getMessage(),
        clientId);
    return refused.answer(events, kind, clientId);
  }

  private HTTPResponse exchangeCode(SmartClient client, AuthorizationCodeGrant grant)
      throws ClientRefused {
    String hash = Digests.sha256(grant.getAuthorizationCode().getValue());
    // claim first: of two concurrent redemptions exactly one updates the row
    int claimed =
        sql.update(
            "UPDATE televisit.smart_code SET used_at = ? WHERE code_hash = ? AND used_at IS NULL"
                + " AND expires_at > ?",
            clock.instant(),
            hash,
            clock.instant());
    if (claimed != 1) {
      Optional<UsedCode> used =
          sql.one(
              "SELECT grant_id FROM televisit.smart_code WHERE code_hash = ? AND used_at IS NOT NULL",
              rs -> new UsedCode(rs.getString("grant_id")),
              hash);
      if (used.isPresent()) {
        // RFC 6749 §4.1.2: a code used twice revokes what it gave
        if (used.get().grantId() != null) {
          grants.revoke(used.get().grantId());
        }
        throw invalidGrant("authorization code already used; its tokens are revoked");
      }
      throw invalidGrant("unknown or expired authorization code");
    }
    StoredCode code =
        sql.one(
                "SELECT client_id, redirect_uri, code_challenge, scope, nonce, context"
                    + " FROM televisit.smart_code WHERE code_hash = ?",
                rs ->
                    new StoredCode(
                        rs.getString("client_id"),
                        rs.getString("redirect_uri"),
                        rs.getString("code_challenge"),
                        rs.getString("scope"),
                        rs.getString("nonce"),
                        GrantContext.fromJson(rs.getString("context"))),
                hash)
            .orElseThrow(() -> invalidGrant("unknown authorization code"));
    if (!code.clientId().equals(client.clientId())) {
      throw invalidGrant("authorization code was issued to another client");
    }
    if (grant.getRedirectionURI() == null
        || !code.redirectUri().equals(grant.getRedirectionURI().toString())) {
      throw invalidGrant("redirect_uri does not match the authorization request");
    }
    if (grant.getCodeVerifier() == null) {
      throw invalidGrant("code_verifier is missing");
    }
    String computed =
        CodeChallenge.compute(CodeChallengeMethod.S256, grant.getCodeVerifier()).getValue();
    if (!Digests.same(computed, code.challenge())) {
      throw invalidGrant("code_verifier does not match the code_challenge");
    }
    Scopes scopes = Scopes.parse(code.scope());
    Duration refreshLife =
        scopes.has("offline_access") || scopes.has("online_access") ? settings.refreshLife() : null;
    Grant issued =
        grants.create(
            client.clientId(),
            code.scope(),
            code.context(),
            settings.accessTokenLife(),
            refreshLife);
    sql.update(
        "UPDATE televisit.smart_code SET grant_id = ? WHERE code_hash = ?", issued.id(), hash);
    return success(issued, code.scope(), settings.accessTokenLife(), code.nonce(), true);
  }

  private HTTPResponse refresh(SmartClient client, RefreshTokenGrant grant, Scope narrowed)
      throws ClientRefused {
    Grant rotated =
        grants
            .rotate(grant.getRefreshToken().getValue(), client.clientId())
            .orElseThrow(
                () ->
                    invalidGrant(
                        "refresh token is unknown, expired, revoked, already used, or not this client's"));
    String scope = rotated.scope();
    if (narrowed != null && !narrowed.isEmpty()) {
      Scopes asked;
      try {
        asked = Scopes.parse(narrowed.toString());
      } catch (Scopes.InvalidScope e) {
        throw new ClientRefused(OAuth2Error.INVALID_SCOPE, e.getMessage());
      }
      Scopes within = Scopes.intersect(asked, List.of(rotated.scope().split(" ")));
      if (!within.asString().equals(asked.asString())) {
        throw new ClientRefused(
            OAuth2Error.INVALID_SCOPE, "a refresh may only narrow the granted scopes");
      }
      scope = within.asString();
    }
    return success(rotated, scope, settings.accessTokenLife(), null, false);
  }

  private HTTPResponse backendServices(SmartClient client, Scope requested) throws ClientRefused {
    if (client.type() != ClientType.CONFIDENTIAL_ASYMMETRIC) {
      throw new ClientRefused(
          OAuth2Error.UNAUTHORIZED_CLIENT,
          "backend services must authenticate with private_key_jwt");
    }
    if (requested == null || requested.isEmpty()) {
      throw new ClientRefused(OAuth2Error.INVALID_SCOPE, "scope is required");
    }
    Scopes asked;
    try {
      asked = Scopes.parse(requested.toString());
    } catch (Scopes.InvalidScope e) {
      throw new ClientRefused(OAuth2Error.INVALID_SCOPE, e.getMessage());
    }
    if (asked.resourceScopes().isEmpty()
        || asked.resourceScopes().stream()
            .anyMatch(s -> s.context() != ResourceScope.Context.SYSTEM)) {
      throw new ClientRefused(
          OAuth2Error.INVALID_SCOPE, "backend services ask for system/ scopes only");
    }
    Scopes granted = Scopes.intersect(asked, client.scopes());
    if (granted.resourceScopes().isEmpty()) {
      throw new ClientRefused(
          OAuth2Error.INVALID_SCOPE, "none of the requested scopes is allowed for this client");
    }
    Grant issued =
        grants.create(
            client.clientId(),
            granted.asString(),
            GrantContext.none(),
            settings.backendTokenLife(),
            null);
    return success(issued, granted.asString(), settings.backendTokenLife(), null, false);
  }

  private HTTPResponse success(
      Grant grant, String scope, Duration life, String nonce, boolean withIdToken) {
    String access = tokens.issue(grant, scope, urls.fhirBase(), life);
    BearerAccessToken bearer = new BearerAccessToken(access, life.toSeconds(), Scope.parse(scope));
    RefreshToken refresh =
        grant.refreshToken() == null ? null : new RefreshToken(grant.refreshToken());
    GrantContext ctx = grant.context();
    Map<String, Object> launch = new LinkedHashMap<>();
    if (ctx.patient() != null) {
      launch.put("patient", GrantContext.idPart(ctx.patient()));
    }
    if (ctx.encounter() != null) {
      launch.put("encounter", GrantContext.idPart(ctx.encounter()));
    }
    if (!ctx.fhirContext().isEmpty()) {
      launch.put(
          "fhirContext", ctx.fhirContext().stream().map(r -> Map.of("reference", r)).toList());
    }
    if (ctx.user() != null) {
      launch.put("need_patient_banner", ctx.needPatientBanner());
      launch.put("smart_style_url", urls.style().toString());
    }
    if (ctx.intent() != null) {
      launch.put("intent", ctx.intent());
    }
    Scopes scopes = Scopes.parse(scope);
    if (withIdToken && scopes.has("openid") && ctx.user() != null) {
      String idToken =
          tokens.idToken(
              ctx.user(),
              grant.clientId(),
              nonce,
              scopes.has("fhirUser") ? urls.absolute(ctx.user()) : null,
              settings.accessTokenLife());
      return new OIDCTokenResponse(new OIDCTokens(idToken, bearer, refresh), launch)
          .toHTTPResponse();
    }
    return new AccessTokenResponse(new Tokens(bearer, refresh), launch).toHTTPResponse();
  }

  private static ClientRefused invalidGrant(String why) {
    return new ClientRefused(OAuth2Error.INVALID_GRANT, why);
  }
}
