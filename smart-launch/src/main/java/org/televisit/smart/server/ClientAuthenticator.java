package org.televisit.smart.server;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Who is calling the token, introspection or revocation endpoint. Public apps name themselves;
 * symmetric apps send their secret (compared as a hash, in constant time); asymmetric apps send a
 * private_key_jwt assertion (parsed by oauth2-oidc-sdk, checked by {@link ClientAssertions} against
 * the app's registered JWKS: signature, iss = sub = client id, aud = token endpoint, exp), then
 * held to SMART's rules: at most five minutes of life and a jti that was never seen before
 * (remembered in the database, so replays fail on every node).
 */
final class ClientAuthenticator {

  static final Duration MAX_ASSERTION_LIFE = Duration.ofMinutes(5);

  private final ClientRegistry clients;
  private final Sql sql;
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final ClientAssertions assertions;
  private final Map<String, JWKSource<SecurityContext>> remoteKeys = new ConcurrentHashMap<>();

  /** Parsed inline JWKS by client id, kept while the registered text is the same. */
  private final Map<String, InlineKeys> inlineKeys = new ConcurrentHashMap<>();

  private record InlineKeys(String text, JWKSource<SecurityContext> source) {}

  ClientAuthenticator(
      ClientRegistry clients,
      DataSource dataSource,
      URI tokenEndpoint,
      Clock clock,
      Duration connectTimeout,
      Duration readTimeout) {
    this.clients = clients;
    this.sql = new Sql(dataSource);
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.assertions = new ClientAssertions(tokenEndpoint.toString(), this::source);
  }

  /**
   * The calling app. {@code auth} is what the request carried (null for a public app, which then
   * names itself with {@code namedClient}).
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
          || !Digests.same(
              Digests.sha256(secret.getClientSecret().getValue()), client.secretHash())) {
        throw refused("client authentication failed");
      }
      return client;
    }
    if (auth instanceof PrivateKeyJWT assertion) {
      if (client.type() != ClientType.CONFIDENTIAL_ASYMMETRIC) {
        throw refused("this app is not registered for private_key_jwt");
      }
      assertions.check(
          assertion.getClientAssertion(), client); // signature, iss, sub, aud, exp, jti present
      JWTAuthenticationClaimsSet claims = assertion.getJWTAuthenticationClaimsSet();
      Instant now = clock.instant();
      Instant exp = claims.getExpirationTime().toInstant();
      if (exp.isAfter(now.plus(MAX_ASSERTION_LIFE).plusSeconds(30))) {
        throw refused("client assertion lives longer than five minutes");
      }
      boolean fresh =
          sql.insertUnique(
              "INSERT INTO televisit.smart_spent_assertion (client_id, jti, expires_at) VALUES (?, ?, ?)",
              client.clientId(),
              claims.getJWTID().getValue(),
              exp);
      if (!fresh) {
        throw refused("client assertion was already used (jti replay)");
      }
      return client;
    }
    throw refused("unsupported client authentication " + auth.getMethod());
  }

  int purgeSpentAssertions() {
    return sql.update(
        "DELETE FROM televisit.smart_spent_assertion WHERE expires_at <= ?",
        clock.instant().minusSeconds(60));
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

  /** The registered public keys of the app (inline JWKS, or its JWKS URL). */
  private JWKSource<SecurityContext> source(SmartClient client) throws ClientRefused {
    if (client.jwks() != null && !client.jwks().isBlank()) {
      InlineKeys known = inlineKeys.get(client.clientId());
      if (known != null && known.text().equals(client.jwks())) {
        return known.source();
      }
      try {
        JWKSource<SecurityContext> parsed = new ImmutableJWKSet<>(JWKSet.parse(client.jwks()));
        inlineKeys.put(client.clientId(), new InlineKeys(client.jwks(), parsed));
        return parsed;
      } catch (ParseException e) {
        throw refused("the client's registered JWKS is unreadable");
      }
    }
    if (client.jwksUrl() == null) {
      throw refused("the client has no keys");
    }
    return remoteKeys.computeIfAbsent(
        client.clientId() + " " + client.jwksUrl(),
        k -> {
          try {
            DefaultResourceRetriever retriever =
                new DefaultResourceRetriever(
                    (int) connectTimeout.toMillis(), (int) readTimeout.toMillis(), 256 * 1024);
            // cached; an unknown kid makes it fetch again (rate-limited), so key rotation works
            return JWKSourceBuilder.create(client.jwksUrl().toURL(), retriever)
                .retrying(false)
                .build();
          } catch (MalformedURLException e) {
            throw new IllegalStateException("bad JWKS URL for " + client.clientId(), e);
          }
        });
  }
}
