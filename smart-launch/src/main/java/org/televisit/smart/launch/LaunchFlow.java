package org.televisit.smart.launch;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.televisit.smart.scopes.Scopes;

/**
 * SMART App Launch 2.x, the app side: EHR launch (iss + launch) and standalone launch (iss only).
 * Every OAuth message and JWT goes through oauth2-oidc-sdk and Nimbus JOSE+JWT; every outbound call
 * has connect and read timeouts.
 */
public class LaunchFlow {

  static final Duration PENDING_LIFE = Duration.ofMinutes(10);
  static final Set<JWSAlgorithm> ID_TOKEN_ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  private final IssuerRegistry registry;
  private final SmartDiscovery discovery;
  private final Clock clock;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final Map<URI, JWKSource<SecurityContext>> issuerKeys = new ConcurrentHashMap<>();

  public LaunchFlow(
      IssuerRegistry registry,
      SmartDiscovery discovery,
      Clock clock,
      Duration connectTimeout,
      Duration readTimeout) {
    this.registry = registry;
    this.discovery = discovery;
    this.clock = clock;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.readTimeoutMillis = (int) readTimeout.toMillis();
  }

  /** Where to send the browser, and what to keep in the session until the callback. */
  public record Authorization(URI redirect, PendingLaunch pending) {}

  /** Starts a launch: {@code launch} is null for a standalone launch. */
  public Authorization authorize(String iss, String launch, URI redirectUri) {
    RegisteredIssuer issuer =
        registry
            .find(iss)
            .orElseThrow(
                () ->
                    new LaunchRefused(
                        "This EHR is not registered with Televisit, so the launch was not started."));
    SmartConfiguration config;
    try {
      config = discovery.discover(issuer.fhirBase());
    } catch (SmartDiscovery.DiscoveryFailed e) {
      throw new LaunchRefused(e.getMessage(), e);
    }
    State state = new State(32);
    Nonce nonce = new Nonce(32);
    CodeVerifier verifier = new CodeVerifier();
    Scope scope = Scope.parse(scopesFor(issuer, config, launch != null));
    AuthorizationRequest.Builder request =
        new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(issuer.clientId()))
            .endpointURI(config.authorizationEndpoint())
            .redirectionURI(redirectUri)
            .scope(scope)
            .state(state)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .customParameter("aud", issuer.fhirBase().toString())
            .customParameter("nonce", nonce.getValue());
    if (launch != null) {
      request.customParameter("launch", launch);
    }
    PendingLaunch pending =
        new PendingLaunch(
            state,
            nonce,
            verifier,
            issuer,
            config,
            redirectUri,
            clock.instant().plus(PENDING_LIFE));
    return new Authorization(request.build().toURI(), pending);
  }

  /** The scopes to ask for: registered ones, with launch (EHR) or launch/patient (standalone). */
  static String scopesFor(RegisteredIssuer issuer, SmartConfiguration config, boolean ehrLaunch) {
    List<String> scopes = new ArrayList<>(List.of(issuer.scopes().trim().split("\\s+")));
    scopes.removeIf(s -> s.isBlank() || s.equals("launch") || s.startsWith("launch/"));
    if (ehrLaunch) {
      scopes.add(0, "launch");
    } else {
      scopes.add(0, "launch/patient");
    }
    if (!config.supportsV2Scopes()) {
      scopes.replaceAll(LaunchFlow::toV1);
    }
    return String.join(" ", scopes);
  }

  /** v2 -> v1 for servers that only speak v1: rs -> read, cud -> write, cruds -> *. */
  static String toV1(String scope) {
    if (!scope.matches("^(patient|user|system)/[^.]+\\.[cruds]+$")) {
      return scope;
    }
    String prefix = scope.substring(0, scope.lastIndexOf('.') + 1);
    String perms = scope.substring(scope.lastIndexOf('.') + 1);
    boolean reads = perms.contains("r") || perms.contains("s");
    boolean writes = perms.contains("c") || perms.contains("u") || perms.contains("d");
    return prefix + (reads && writes ? "*" : writes ? "write" : "read");
  }

  /**
   * Completes the launch at the callback. {@code pending} is what the session held (null when it
   * held nothing: a replayed or forged callback); the caller removes it from the session first, so
   * it is used once.
   */
  public LaunchContext complete(
      PendingLaunch pending, String state, String code, String error, String errorDescription) {
    if (pending == null) {
      throw new LaunchRefused(
          "This sign-in response does not belong to a launch in progress (it may have been used already). Please launch again from the EHR.");
    }
    if (state == null || !constantTimeEquals(state, pending.state().getValue())) {
      throw new LaunchRefused(
          "The sign-in response did not match the launch that started it. Please launch again from the EHR.");
    }
    if (clock.instant().isAfter(pending.expiresAt())) {
      throw new LaunchRefused(
          "The launch took longer than 10 minutes and expired. Please launch again from the EHR.");
    }
    if (error != null) {
      throw new LaunchRefused(
          "The EHR did not authorise Televisit ("
              + safe(error)
              + (errorDescription != null ? ": " + safe(errorDescription) : "")
              + ").");
    }
    if (code == null || code.isBlank()) {
      throw new LaunchRefused("The EHR's response carried no authorisation code.");
    }
    OIDCTokens tokens;
    Map<String, Object> custom;
    OIDCTokenResponse response = exchange(pending, code);
    tokens = response.getOIDCTokens();
    custom = response.getCustomParameters();

    URI fhirUser = null;
    Scope grantedScope = tokens.getAccessToken().getScope();
    Scopes granted =
        Scopes.parse(grantedScope != null ? grantedScope.toString() : pending.issuer().scopes());
    if (granted.has("openid") || tokens.getIDToken() != null) {
      if (tokens.getIDToken() == null) {
        throw new LaunchRefused("The EHR granted openid but sent no id_token.");
      }
      IDTokenClaimsSet claims = validateIdToken(pending, tokens.getIDToken());
      Object fhirUserClaim = claims.getClaim("fhirUser");
      if (fhirUserClaim != null) {
        fhirUser = URI.create(fhirUserClaim.toString());
      }
    }
    long lifetime = tokens.getAccessToken().getLifetime();
    return new LaunchContext(
        pending.issuer(),
        tokens.getAccessToken().getValue(),
        tokens.getRefreshToken() != null ? tokens.getRefreshToken().getValue() : null,
        lifetime > 0 ? clock.instant().plusSeconds(lifetime) : null,
        granted,
        string(custom.get("patient")),
        string(custom.get("encounter")),
        fhirContext(custom.get("fhirContext")),
        !Boolean.FALSE.equals(custom.get("need_patient_banner")),
        string(custom.get("smart_style_url")),
        string(custom.get("intent")),
        string(custom.get("tenant")),
        fhirUser);
  }

  /** Refresh this far ahead of expiry, so a request never goes out with a token about to lapse. */
  static final Duration REFRESH_AHEAD = Duration.ofSeconds(60);

  /**
   * The context with a usable access token: as it is while the token has more than a minute left
   * (or no known expiry), refreshed with the refresh token otherwise. Without a refresh token an
   * expiring launch is refused, so the clinician launches again.
   */
  public LaunchContext fresh(LaunchContext context) {
    if (context.accessTokenExpiresAt() == null
        || clock.instant().plus(REFRESH_AHEAD).isBefore(context.accessTokenExpiresAt())) {
      return context;
    }
    if (context.refreshToken() == null) {
      throw new LaunchRefused(
          "The EHR session has expired. Please launch Televisit again from the EHR.");
    }
    SmartConfiguration config;
    try {
      config = discovery.discover(context.issuer().fhirBase());
    } catch (SmartDiscovery.DiscoveryFailed e) {
      throw new LaunchRefused(e.getMessage(), e);
    }
    OIDCTokenResponse response =
        tokenRequest(
            context.issuer(),
            config.tokenEndpoint(),
            new RefreshTokenGrant(new RefreshToken(context.refreshToken())));
    OIDCTokens tokens = response.getOIDCTokens();
    long lifetime = tokens.getAccessToken().getLifetime();
    Scope scope = tokens.getAccessToken().getScope();
    return context.withTokens(
        tokens.getAccessToken().getValue(),
        // a server that rotates refresh tokens sends a new one; otherwise the old one stays valid
        tokens.getRefreshToken() != null
            ? tokens.getRefreshToken().getValue()
            : context.refreshToken(),
        lifetime > 0 ? clock.instant().plusSeconds(lifetime) : null,
        scope != null ? Scopes.parse(scope.toString()) : context.granted());
  }

  private OIDCTokenResponse exchange(PendingLaunch pending, String code) {
    AuthorizationCodeGrant grant =
        new AuthorizationCodeGrant(
            new AuthorizationCode(code), pending.redirectUri(), pending.codeVerifier());
    return tokenRequest(pending.issuer(), pending.configuration().tokenEndpoint(), grant);
  }

  private OIDCTokenResponse tokenRequest(
      RegisteredIssuer issuer, URI tokenEndpoint, AuthorizationGrant grant) {
    TokenRequest request =
        clientAuthentication(issuer, tokenEndpoint)
            .map(auth -> new TokenRequest(tokenEndpoint, auth, grant))
            .orElseGet(
                () -> new TokenRequest(tokenEndpoint, new ClientID(issuer.clientId()), grant));
    HTTPRequest http =
        SmartDiscovery.limited(request.toHTTPRequest(), connectTimeoutMillis, readTimeoutMillis);
    HTTPResponse response;
    try {
      response = http.send();
    } catch (IOException e) {
      throw new LaunchRefused(
          "The EHR's token service did not answer in time. Please try again.", e);
    }
    if (response.getStatusCode() >= 500) {
      throw new LaunchRefused(
          "The EHR's token service failed (HTTP "
              + response.getStatusCode()
              + "). Please try again.");
    }
    try {
      TokenResponse parsed = OIDCTokenResponseParser.parse(response);
      if (!parsed.indicatesSuccess()) {
        ErrorObject err = ((TokenErrorResponse) parsed).getErrorObject();
        throw new LaunchRefused("The EHR refused to issue a token (" + safe(err.getCode()) + ").");
      }
      return (OIDCTokenResponse) parsed.toSuccessResponse();
    } catch (ParseException e) {
      throw new LaunchRefused(
          "The EHR's token service answered something that is not a token response.", e);
    }
  }

  private Optional<ClientAuthentication> clientAuthentication(
      RegisteredIssuer issuer, URI tokenEndpoint) {
    ClientID client = new ClientID(issuer.clientId());
    try {
      return switch (issuer.clientAuth()) {
        case PUBLIC -> Optional.empty();
        case CLIENT_SECRET_BASIC ->
            Optional.of(new ClientSecretBasic(client, new Secret(issuer.clientSecret())));
        case PRIVATE_KEY_JWT -> {
          JWK jwk = JWK.parse(issuer.privateJwk());
          PrivateKey key;
          JWSAlgorithm alg;
          if (jwk instanceof RSAKey rsa) {
            key = rsa.toPrivateKey();
            alg = JWSAlgorithm.RS384;
          } else if (jwk instanceof ECKey ec) {
            key = ec.toPrivateKey();
            alg = JWSAlgorithm.ES384;
          } else {
            throw new LaunchRefused(
                "Televisit's key for this EHR is neither RSA nor EC; ask the administrator.");
          }
          // The assertion: iss = sub = client_id, aud = token URL, 5 minutes, a fresh jti (the
          // SDK's defaults).
          yield Optional.of(
              new PrivateKeyJWT(client, tokenEndpoint, alg, key, jwk.getKeyID(), null));
        }
      };
    } catch (JOSEException | java.text.ParseException e) {
      throw new LaunchRefused(
          "Televisit's key for this EHR is not usable; ask the administrator.", e);
    }
  }

  private IDTokenClaimsSet validateIdToken(PendingLaunch pending, JWT idToken) {
    SmartConfiguration config = pending.configuration();
    if (config.jwksUri() == null) {
      throw new LaunchRefused(
          "The EHR sent an id_token but publishes no keys (jwks_uri) to check it.");
    }
    Issuer expectedIssuer =
        new Issuer(config.issuer() != null ? config.issuer() : pending.issuer().fhirBase());
    JWKSource<SecurityContext> keys = issuerKeys.computeIfAbsent(config.jwksUri(), this::keySource);
    IDTokenValidator validator =
        new IDTokenValidator(
            expectedIssuer,
            new ClientID(pending.issuer().clientId()),
            new JWSVerificationKeySelector<>(ID_TOKEN_ALGORITHMS, keys),
            null);
    validator.setMaxClockSkew(60);
    try {
      return validator.validate(idToken, pending.nonce());
    } catch (Exception e) {
      throw new LaunchRefused(
          "The EHR's identity token could not be verified (" + e.getClass().getSimpleName() + ").",
          e);
    }
  }

  /**
   * The issuer's keys, cached; an unknown kid makes the source fetch the set again (rate-limited).
   */
  private JWKSource<SecurityContext> keySource(URI jwksUri) {
    try {
      URL url = jwksUri.toURL();
      return JWKSourceBuilder.create(
              url,
              new DefaultResourceRetriever(connectTimeoutMillis, readTimeoutMillis, 512 * 1024))
          .cache(Duration.ofHours(1).toMillis(), Duration.ofSeconds(15).toMillis())
          .rateLimited(false)
          .retrying(false)
          .build();
    } catch (MalformedURLException e) {
      throw new LaunchRefused("The EHR's key address is not a URL.", e);
    }
  }

  private static List<String> fhirContext(Object value) {
    List<String> refs = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map && map.get("reference") != null) {
          refs.add(map.get("reference").toString());
        }
      }
    }
    return refs;
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }

  /** The EHR's error text is shown to a person: keep it short and plain. */
  private static String safe(String text) {
    String plain = text.replaceAll("[^A-Za-z0-9 _.,:;()'-]", "");
    return plain.length() > 120 ? plain.substring(0, 120) : plain;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
