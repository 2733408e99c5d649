package org.televisit.smart.server;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Televisit's SMART authorization server, assembled: the registry of apps, EHR launches, the
 * authorize, token, introspection and revocation endpoints, the access tokens /fhir checks, and the
 * discovery document. Framework-free: the application maps HTTP onto it.
 */
public final class SmartServer {

  static final List<String> CAPABILITIES =
      List.of(
          "launch-ehr",
          "launch-standalone",
          "authorize-post",
          "client-public",
          "client-confidential-symmetric",
          "client-confidential-asymmetric",
          "context-ehr-patient",
          "context-ehr-encounter",
          "context-standalone-patient",
          "context-banner",
          "context-style",
          "permission-user",
          "permission-patient",
          "permission-offline",
          "permission-online",
          "permission-v1",
          "permission-v2",
          "sso-openid-connect");

  private final ServerUrls urls;
  private final ClientRegistry clients;
  private final EhrLaunches launches;
  private final Grants grants;
  private final AccessTokens tokens;
  private final ClientAuthenticator authenticator;
  private final AuthorizeEndpoint authorize;
  private final TokenEndpoint token;
  private final IntrospectionEndpoint introspection;
  private final RevocationEndpoint revocation;

  public SmartServer(
      DataSource dataSource,
      RSAKey signingKey,
      ServerUrls urls,
      ServerSettings settings,
      Clock clock,
      SecurityEvent.Sink events) {
    this.urls = urls;
    this.clients = new ClientRegistry(dataSource, clock);
    this.launches = new EhrLaunches(dataSource, clock, settings.launchLife());
    this.grants = new Grants(dataSource, clock, settings.grantCacheTtl());
    this.tokens = new AccessTokens(signingKey, urls.issuer(), urls.fhirBase(), grants, clock);
    this.authenticator =
        new ClientAuthenticator(
            clients,
            dataSource,
            urls.token(),
            clock,
            settings.connectTimeout(),
            settings.readTimeout());
    this.authorize = new AuthorizeEndpoint(clients, launches, dataSource, urls, settings, clock);
    this.token =
        new TokenEndpoint(authenticator, grants, tokens, dataSource, urls, settings, clock, events);
    this.introspection = new IntrospectionEndpoint(authenticator, tokens, grants, urls, events);
    this.revocation = new RevocationEndpoint(authenticator, tokens, grants, events);
  }

  public ServerUrls urls() {
    return urls;
  }

  public ClientRegistry clients() {
    return clients;
  }

  public EhrLaunches launches() {
    return launches;
  }

  public AccessTokens accessTokens() {
    return tokens;
  }

  public Grants grants() {
    return grants;
  }

  public AuthorizeEndpoint authorizeEndpoint() {
    return authorize;
  }

  public TokenEndpoint tokenEndpoint() {
    return token;
  }

  public IntrospectionEndpoint introspectionEndpoint() {
    return introspection;
  }

  public RevocationEndpoint revocationEndpoint() {
    return revocation;
  }

  /** Deletes expired launches, grants and spent assertion ids; returns how many rows went. */
  public int purgeExpired() {
    return launches.purgeExpired() + grants.purgeExpired() + authenticator.purgeSpentAssertions();
  }

  /**
   * {fhir}/.well-known/smart-configuration: required, conditional and recommended fields of SMART
   * 2.2.
   */
  public String smartConfiguration() {
    return JSONObjectUtils.toJSONString(metadata());
  }

  /** The same facts as OpenID Connect discovery ({issuer}/.well-known/openid-configuration). */
  public String openidConfiguration() {
    Map<String, Object> json = metadata();
    json.put("subject_types_supported", List.of("public"));
    json.put("id_token_signing_alg_values_supported", List.of("RS256"));
    json.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "nonce", "fhirUser"));
    return JSONObjectUtils.toJSONString(json);
  }

  private Map<String, Object> metadata() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("issuer", urls.issuer().toString());
    json.put("jwks_uri", urls.jwks().toString());
    json.put("authorization_endpoint", urls.authorize().toString());
    json.put("token_endpoint", urls.token().toString());
    json.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
    json.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    json.put(
        "grant_types_supported",
        List.of("authorization_code", "refresh_token", "client_credentials"));
    json.put(
        "scopes_supported",
        List.of(
            "openid",
            "fhirUser",
            "profile",
            "launch",
            "launch/patient",
            "launch/encounter",
            "offline_access",
            "online_access",
            "patient/*.cruds",
            "user/*.cruds",
            "system/*.cruds",
            "patient/*.read",
            "user/*.read",
            "system/*.read",
            "patient/*.write",
            "user/*.write",
            "system/*.write"));
    json.put("response_types_supported", List.of("code"));
    json.put("code_challenge_methods_supported", List.of("S256"));
    json.put("introspection_endpoint", urls.introspect().toString());
    json.put("revocation_endpoint", urls.revoke().toString());
    json.put("capabilities", CAPABILITIES);
    return json;
  }
}
