package org.televisit.smart.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.auth.verifier.JWTAudienceCheck;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling the token, introspection or revocation endpoint. Public apps name themselves;
 * symmetric apps send their secret (compared as a hash, in constant time); asymmetric apps send a
 * private_key_jwt assertion, checked by oauth2-oidc-sdk against the app's registered JWKS (iss = sub =
 * client id, aud = token endpoint, signature, exp), then held to SMART's rules: at most five minutes
 * of life and a jti that was never seen before (remembered in the database, so replays fail on every
 * node).
 */
final class ClientAuthenticator {

  static final Duration MAX_ASSERTION_LIFE = Duration.ofMinutes(5);

  private final ClientRegistry clients;
  private final Sql sql;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final ClientAuthenticationVerifier<SmartClient> verifier;
  private final Map<String, JWKSource<SecurityContext>> remoteKeys = new ConcurrentHashMap<>();

  ClientAuthenticator(ClientRegistry clients, javax.sql.DataSource dataSource, URI tokenEndpoint, Clock clock,
      Duration connectTimeout, Duration readTimeout) {
    this.clients = clients;
    this.sql = new Sql(dataSource);
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.verifier = new ClientAuthenticationVerifier<>(new KeysOfClient(), Set.of(new Audience(tokenEndpoint)),
        JWTAudienceCheck.LEGACY);
  }

  /**
   * The calling app. {@code auth} is what the request carried (null for a public app, which then names
   * itself with {@code namedClient}).
   */
  SmartClient authenticate(ClientAuthentication auth, ClientID namedClient) throws ClientRefused {
    if (auth == null) {
      SmartClient client = known(namedClient);
      if (client.type() != ClientType.PUBLIC) {
        throw refused("this app must authenticate");
      }
      return client;
    }
    SmartClient client = known(auth.getClientID());
    if (auth instanceof PlainClientSecret secret) {
      if (client.type() != ClientType.CONFIDENTIAL_SYMMETRIC
          || !Digests.same(Digests.sha256(secret.getClientSecret().getValue()), client.secretHash())) {
        throw refused("client authentication failed");
      }
      return client;
    }
    if (auth instanceof PrivateKeyJWT assertion) {
      if (client.type() != ClientType.CONFIDENTIAL_ASYMMETRIC) {
        throw refused("this app is not registered for private_key_jwt");
      }
      try {
        Context<SmartClient> context = new Context<>();
        context.set(client);
        verifier.verify(assertion, null, context);
      } catch (InvalidClientException e) {
        throw refused("client assertion refused: " + e.getMessage());
      } catch (JOSEException e) {
        throw refused("client assertion could not be checked");
      }
      JWTAuthenticationClaimsSet claims = assertion.getJWTAuthenticationClaimsSet();
      Instant now = clock.instant();
      Instant exp = claims.getExpirationTime().toInstant();
      if (exp.isAfter(now.plus(MAX_ASSERTION_LIFE).plusSeconds(30))) {
        throw refused("client assertion lives longer than five minutes");
      }
      if (claims.getJWTID() == null) {
        throw refused("client assertion has no jti");
      }
      boolean fresh = sql.insertUnique(
          "INSERT INTO televisit.smart_spent_assertion (client_id, jti, expires_at) VALUES (?, ?, ?)",
          client.clientId(), claims.getJWTID().getValue(), exp);
      if (!fresh) {
        throw refused("client assertion was already used (jti replay)");
      }
      return client;
    }
    throw refused("unsupported client authentication " + auth.getMethod());
  }

  int purgeSpentAssertions() {
    return sql.update("DELETE FROM televisit.smart_spent_assertion WHERE expires_at <= ?", clock.instant().minusSeconds(60));
  }

  private SmartClient known(ClientID id) throws ClientRefused {
    if (id == null) {
      throw refused("no client_id");
    }
    return clients.find(id.getValue()).orElseThrow(() -> refused("unknown client"));
  }

  private static ClientRefused refused(String why) {
    return new ClientRefused(OAuth2Error.INVALID_CLIENT, why);
  }

  /** The registered public keys of the app named in the assertion (inline JWKS, or its JWKS URL). */
  private final class KeysOfClient implements ClientCredentialsSelector<SmartClient> {

    @Override
    public List<Secret> selectClientSecrets(ClientID id, ClientAuthenticationMethod method, Context<SmartClient> ctx)
        throws InvalidClientException {
      throw new InvalidClientException("client secrets are not used for assertions here");
    }

    @Override
    public List<? extends PublicKey> selectPublicKeys(ClientID id, ClientAuthenticationMethod method,
        JWSHeader header, boolean forceRefresh, Context<SmartClient> ctx) throws InvalidClientException {
      SmartClient client = ctx.get();
      if (!client.clientId().equals(id.getValue())) {
        throw new InvalidClientException("assertion issuer is not the client");
      }
      try {
        List<JWK> matches = source(client).get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        return KeyConverter.toJavaKeys(matches).stream()
            .filter(PublicKey.class::isInstance).map(PublicKey.class::cast).toList();
      } catch (KeySourceException e) {
        throw new InvalidClientException("the client's keys could not be fetched");
      }
    }
  }

  private JWKSource<SecurityContext> source(SmartClient client) throws InvalidClientException {
    if (client.jwks() != null && !client.jwks().isBlank()) {
      try {
        return new ImmutableJWKSet<>(JWKSet.parse(client.jwks()));
      } catch (ParseException e) {
        throw new InvalidClientException("the client's registered JWKS is unreadable");
      }
    }
    if (client.jwksUrl() == null) {
      throw new InvalidClientException("the client has no keys");
    }
    return remoteKeys.computeIfAbsent(client.clientId() + " " + client.jwksUrl(), k -> {
      try {
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
            (int) connectTimeout.toMillis(), (int) readTimeout.toMillis(), 256 * 1024);
        // cached; an unknown kid makes it fetch again (rate-limited), so key rotation works
        return JWKSourceBuilder.create(client.jwksUrl().toURL(), retriever).retrying(false).build();
      } catch (MalformedURLException e) {
        throw new IllegalStateException("bad JWKS URL for " + client.clientId(), e);
      }
    });
  }

}
