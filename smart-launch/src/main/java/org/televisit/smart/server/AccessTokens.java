package org.televisit.smart.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.televisit.smart.scopes.Scopes;

/**
 * Signs and verifies Televisit's access tokens (RFC 9068 JWTs, typ at+jwt, RS256) and signs
 * id_tokens. Verification needs no database round trip except the grant's revocation state, which
 * {@link Grants} keeps for a few seconds: that is what keeps the cost per /fhir request well under
 * a millisecond.
 */
public final class AccessTokens {

  static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
  private static final int MAX_CLOCK_SKEW = 30;

  private final RSAKey signingKey;
  private final RSASSASigner signer;
  private final URI issuer;
  private final Predicate<String> activeGrant;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  // Tokens that passed, by their exact text: an app sends one token with many requests, and
  // parsing,
  // key conversion and the RSA check were ~15 % of a FHIR create's CPU. A hit re-checks the
  // lifetime
  // and the grant (revocation); only the very string that was verified can hit.
  private final Cache<String, VerifiedToken> verified =
      Caffeine.newBuilder().maximumSize(20_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  public AccessTokens(RSAKey signingKey, URI issuer, URI audience, Grants grants, Clock clock) {
    this(signingKey, issuer, audience, grants::isActive, clock);
  }

  /** {@code activeGrant}: whether a grant (the token's sid) still stands, i.e. was not revoked. */
  AccessTokens(
      RSAKey signingKey, URI issuer, URI audience, Predicate<String> activeGrant, Clock clock) {
    if (!signingKey.isPrivate()) {
      throw new IllegalArgumentException("the server's signing key must include its private part");
    }
    this.signingKey = signingKey;
    this.issuer = issuer;
    this.activeGrant = activeGrant;
    this.clock = clock;
    try {
      this.signer = new RSASSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable signing key: " + e.getMessage(), e);
    }
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(signingKey.toPublicJWK()))));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            audience.toString(),
            new JWTClaimsSet.Builder().issuer(issuer.toString()).build(),
            Set.of("sub", "exp", "iat", "jti", "client_id", "scope", "sid"));
    claims.setMaxClockSkew(MAX_CLOCK_SKEW);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** The public half, published at the jwks endpoint. */
  public JWKSet publicKeys() {
    return new JWKSet(signingKey.toPublicJWK());
  }

  public URI issuer() {
    return issuer;
  }

  /** An access token for {@code grant}, valid for {@code life}, limited to {@code scope}. */
  public String issue(Grant grant, String scope, URI audience, Duration life) {
    Instant now = clock.instant();
    GrantContext ctx = grant.context();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer.toString())
            .subject(ctx.user() != null ? ctx.user() : grant.clientId())
            .audience(audience.toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(life)))
            .jwtID(UUID.randomUUID().toString())
            .claim("client_id", grant.clientId())
            .claim("scope", scope)
            .claim("sid", grant.id());
    if (ctx.patient() != null) {
      claims.claim("patient", ctx.patient());
    }
    if (ctx.encounter() != null) {
      claims.claim("encounter", ctx.encounter());
    }
    if (!ctx.fhirContext().isEmpty()) {
      claims.claim("fhirContext", ctx.fhirContext());
    }
    if (ctx.user() != null) {
      claims.claim("fhirUser", ctx.user());
    }
    return sign(
        new JWSHeader.Builder(JWSAlgorithm.RS256).type(AT_JWT).keyID(signingKey.getKeyID()).build(),
        claims.build());
  }

  /**
   * An OpenID Connect id_token for the signed-in user; {@code fhirUser} is an absolute URL or null.
   */
  public String idToken(
      String subject, String clientId, String nonce, URI fhirUser, Duration life) {
    Instant now = clock.instant();
    IDTokenClaimsSet claims =
        new IDTokenClaimsSet(
            new Issuer(issuer),
            new Subject(subject),
            List.of(new Audience(clientId)),
            Date.from(now.plus(life)),
            Date.from(now));
    if (nonce != null) {
      claims.setNonce(new Nonce(nonce));
    }
    if (fhirUser != null) {
      claims.setClaim("fhirUser", fhirUser.toString());
    }
    try {
      return sign(
          new JWSHeader.Builder(JWSAlgorithm.RS256)
              .type(JOSEObjectType.JWT)
              .keyID(signingKey.getKeyID())
              .build(),
          claims.toJWTClaimsSet());
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks signature, type, issuer, audience, lifetime and that the grant was not revoked. */
  public VerifiedToken verify(String token) throws InvalidToken {
    if (token == null || token.isBlank() || token.length() > 8192) {
      throw new InvalidToken("no access token");
    }
    VerifiedToken known = verified.getIfPresent(token);
    if (known != null) {
      if (!known.expiresAt().plusSeconds(MAX_CLOCK_SKEW).isAfter(clock.instant())) {
        verified.invalidate(token);
        throw new InvalidToken("the access token is not valid: Expired JWT");
      }
      if (!activeGrant.test(known.grantId())) {
        throw new InvalidToken("the access token was revoked");
      }
      return known;
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidToken("the access token is not a JWT");
    } catch (BadJOSEException e) {
      throw new InvalidToken("the access token is not valid: " + e.getMessage());
    } catch (JOSEException e) {
      throw new InvalidToken("the access token could not be checked");
    }
    try {
      String grantId = claims.getStringClaim("sid");
      if (!activeGrant.test(grantId)) {
        throw new InvalidToken("the access token was revoked");
      }
      List<String> fhirContext = claims.getStringListClaim("fhirContext");
      VerifiedToken checked =
          new VerifiedToken(
              claims.getStringClaim("client_id"),
              claims.getSubject(),
              Scopes.parse(claims.getStringClaim("scope")),
              claims.getStringClaim("patient"),
              claims.getStringClaim("encounter"),
              fhirContext == null ? List.of() : fhirContext,
              claims.getStringClaim("fhirUser"),
              grantId,
              claims.getIssueTime().toInstant(),
              claims.getExpirationTime().toInstant());
      verified.put(token, checked);
      return checked;
    } catch (ParseException | Scopes.InvalidScope e) {
      throw new InvalidToken("the access token's claims are malformed");
    }
  }

  private String sign(JWSHeader header, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
