package org.televisit.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;
import org.televisit.smart.server.SmartServer;

/**
 * A SMART app that is not Televisit: built only from oauth2-oidc-sdk messages (as any conformant
 * app would be), registered with Televisit's authorization server as public, symmetric or
 * asymmetric.
 */
public final class SmartTestApp {

  public static final String SCOPES =
      "launch launch/patient openid fhirUser offline_access online_access"
          + " patient/*.cruds user/*.cruds system/*.cruds";

  public final String clientId;
  public final ClientType type;
  public final URI redirectUri;
  public final JWK key;
  public final String secret;
  private final SmartServer server;

  public final CodeVerifier verifier = new CodeVerifier();
  public final State state = new State();
  public final Nonce nonce = new Nonce();

  private SmartTestApp(
      String clientId,
      ClientType type,
      URI redirectUri,
      JWK key,
      String secret,
      SmartServer server) {
    this.clientId = clientId;
    this.type = type;
    this.redirectUri = redirectUri;
    this.key = key;
    this.secret = secret;
    this.server = server;
  }

  /**
   * Registers a new app of this type with the server; asymmetric apps get an RS384 or ES384 key.
   */
  public static SmartTestApp register(SmartServer server, ClientType type, boolean ec)
      throws Exception {
    String id =
        "app-"
            + type.name().toLowerCase().replace('_', '-')
            + "-"
            + java.util.UUID.randomUUID().toString().substring(0, 6);
    URI redirect = URI.create("https://" + id + ".example.org/callback");
    JWK key = null;
    String jwks = null;
    if (type == ClientType.CONFIDENTIAL_ASYMMETRIC) {
      key =
          ec
              ? new ECKeyGenerator(Curve.P_384)
                  .keyID(id + "-k1")
                  .algorithm(JWSAlgorithm.ES384)
                  .generate()
              : new RSAKeyGenerator(2048)
                  .keyID(id + "-k1")
                  .algorithm(JWSAlgorithm.RS384)
                  .generate();
      jwks = new JWKSet(key.toPublicJWK()).toString(true);
    }
    ClientRegistry.Registered registered =
        server
            .clients()
            .register(
                new ClientRegistry.Registration(
                    id,
                    "Test app " + id,
                    type,
                    null,
                    jwks,
                    List.of(redirect),
                    SCOPES,
                    URI.create("https://" + id + ".example.org/launch")));
    return new SmartTestApp(id, type, redirect, key, registered.secret().orElse(null), server);
  }

  public URI authorizeUrl(String scope, String launch) {
    AuthorizationRequest.Builder b =
        new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
            .endpointURI(server.urls().authorize())
            .redirectionURI(redirectUri)
            .scope(Scope.parse(scope))
            .state(state)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .customParameter("aud", server.urls().fhirBase().toString())
            .customParameter("nonce", nonce.getValue());
    if (launch != null) {
      b.customParameter("launch", launch);
    }
    return b.build().toURI();
  }

  public HTTPResponse exchange(String code) throws Exception {
    return exchange(new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier));
  }

  public HTTPResponse exchange(AuthorizationGrant grant) throws Exception {
    return exchange(grant, null);
  }

  public HTTPResponse exchange(AuthorizationGrant grant, Scope scope) throws Exception {
    ClientAuthentication auth = authentication();
    TokenRequest request =
        auth != null
            ? new TokenRequest(server.urls().token(), auth, grant, scope)
            : new TokenRequest(server.urls().token(), new ClientID(clientId), grant, scope);
    return request.toHTTPRequest().send();
  }

  /** How this app authenticates; a fresh assertion (new jti) every time. */
  public ClientAuthentication authentication() throws Exception {
    return switch (type) {
      case PUBLIC -> null;
      case CONFIDENTIAL_SYMMETRIC ->
          new ClientSecretBasic(new ClientID(clientId), new Secret(secret));
      case CONFIDENTIAL_ASYMMETRIC -> assertion(new Date(System.currentTimeMillis() + 240_000));
    };
  }

  public PrivateKeyJWT assertion(Date exp) throws Exception {
    JWTAuthenticationClaimsSet claims =
        new JWTAuthenticationClaimsSet(
            new ClientID(clientId),
            new Audience(server.urls().token()).toSingleAudienceList(),
            exp,
            null,
            new Date(),
            new com.nimbusds.oauth2.sdk.id.JWTID());
    if (key instanceof ECKey ec) {
      return new PrivateKeyJWT(
          claims, JWSAlgorithm.ES384, ec.toECPrivateKey(), ec.getKeyID(), null);
    }
    RSAKey rsa = (RSAKey) key;
    return new PrivateKeyJWT(
        claims, JWSAlgorithm.RS384, rsa.toRSAPrivateKey(), rsa.getKeyID(), null);
  }

  /** The query parameters of a redirect back to this app. */
  public static Map<String, List<String>> params(String location) {
    return com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(
        URI.create(location).getRawQuery());
  }
}
