package org.televisit.smart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The private_key_jwt rules of RFC 7523 and SMART backend services, one refusal per rule; no
 * Spring.
 */
class ClientAssertionsTest {

  private static final String TOKEN = "https://tv.example.org/oauth/token";
  private static final SmartClient APP =
      new SmartClient(
          "scheduler",
          "Scheduler",
          ClientType.CONFIDENTIAL_ASYMMETRIC,
          null,
          null,
          "{}",
          List.of(URI.create("https://scheduler.example.org/cb")),
          List.of("system/Appointment.cruds"),
          null);

  private static ECKey es384;
  private static ECKey es256;
  private static RSAKey rs384;
  private static ClientAssertions assertions;

  @BeforeAll
  static void keys() throws Exception {
    es384 = new ECKeyGenerator(Curve.P_384).keyID("ec-384").generate();
    es256 = new ECKeyGenerator(Curve.P_256).keyID("ec-256").generate();
    rs384 = new RSAKeyGenerator(2048).keyID("rsa").generate();
    JWKSet registered =
        new JWKSet(List.of(es384.toPublicJWK(), es256.toPublicJWK(), rs384.toPublicJWK()));
    assertions = new ClientAssertions(TOKEN, client -> new ImmutableJWKSet<>(registered));
  }

  @Test
  void eachSmartAlgorithmWithARegisteredKeyPasses() throws Exception {
    assertThatCode(
            () ->
                assertions.check(
                    signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", claims()), APP))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                assertions.check(
                    signed(JWSAlgorithm.ES256, new ECDSASigner(es256), "ec-256", claims()), APP))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                assertions.check(
                    signed(JWSAlgorithm.RS384, new RSASSASigner(rs384), "rsa", claims()), APP))
        .doesNotThrowAnyException();
  }

  @Test
  void onlyTheTypesOfAClientAssertionPass() throws Exception {
    SignedJWT typed =
        signed(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID("ec-384")
                .type(new JOSEObjectType("client-authentication+jwt"))
                .build(),
            new ECDSASigner(es384),
            claims());
    assertThatCode(() -> assertions.check(typed, APP)).doesNotThrowAnyException();
    SignedJWT jwt =
        signed(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID("ec-384")
                .type(JOSEObjectType.JWT)
                .build(),
            new ECDSASigner(es384),
            claims());
    assertThatCode(() -> assertions.check(jwt, APP)).doesNotThrowAnyException();
    SignedJWT accessToken =
        signed(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID("ec-384")
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new ECDSASigner(es384),
            claims());
    assertRefused(accessToken, "type");
  }

  @Test
  void aSignatureByAnUnregisteredKeyIsRefused() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_384).keyID("ec-384").generate();
    assertRefused(
        signed(JWSAlgorithm.ES384, new ECDSASigner(stranger), "ec-384", claims()), "signature");
    RSAKey rsaStranger = new RSAKeyGenerator(2048).keyID("rsa").generate();
    assertRefused(
        signed(JWSAlgorithm.RS384, new RSASSASigner(rsaStranger), "rsa", claims()), "signature");
  }

  @Test
  void aTamperedAssertionIsRefused() throws Exception {
    SignedJWT genuine = signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", claims());
    String[] parts = genuine.serialize().split("\\.");
    String otherClaims =
        signed(
                JWSAlgorithm.ES384,
                new ECDSASigner(es384),
                "ec-384",
                new JWTClaimsSet.Builder(claims()).claim("scope", "system/*.*").build())
            .serialize()
            .split("\\.")[1];
    assertRefused(SignedJWT.parse(parts[0] + "." + otherClaims + "." + parts[2]), "signature");
  }

  @Test
  void aSymmetricAlgorithmIsNeverAccepted() throws Exception {
    byte[] secret = new byte[32];
    assertRefused(signed(JWSAlgorithm.HS256, new MACSigner(secret), "rsa", claims()), "refused");
  }

  @Test
  void theAudienceMustBeTheTokenEndpoint() throws Exception {
    JWTClaimsSet elsewhere =
        new JWTClaimsSet.Builder(claims()).audience("https://other.example.org/token").build();
    assertRefused(signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", elsewhere), "aud");
  }

  @Test
  void issuerAndSubjectMustBeTheClient() throws Exception {
    JWTClaimsSet posing = new JWTClaimsSet.Builder(claims()).issuer("another-app").build();
    assertRefused(signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", posing), "iss");
    JWTClaimsSet forSomeoneElse = new JWTClaimsSet.Builder(claims()).subject("another-app").build();
    assertRefused(
        signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", forSomeoneElse), "sub");
  }

  @Test
  void anExpiredAssertionOrOneWithoutJtiIsRefused() throws Exception {
    JWTClaimsSet expired =
        new JWTClaimsSet.Builder(claims())
            .expirationTime(new Date(System.currentTimeMillis() - 120_000))
            .build();
    assertRefused(signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", expired), "expired");
    JWTClaimsSet noJti = new JWTClaimsSet.Builder(claims()).jwtID(null).build();
    assertRefused(signed(JWSAlgorithm.ES384, new ECDSASigner(es384), "ec-384", noJti), "jti");
  }

  private static void assertRefused(SignedJWT assertion, String why) {
    assertThatThrownBy(() -> assertions.check(assertion, APP))
        .isInstanceOfSatisfying(
            ClientRefused.class,
            refused -> {
              assertThat(refused.error().getCode()).isEqualTo("invalid_client");
              assertThat(refused.getMessage()).containsIgnoringCase(why);
            });
  }

  private static JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder()
        .issuer(APP.clientId())
        .subject(APP.clientId())
        .audience(TOKEN)
        .expirationTime(new Date(System.currentTimeMillis() + 120_000))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }

  private static SignedJWT signed(
      JWSAlgorithm alg, JWSSigner signer, String kid, JWTClaimsSet claims) throws Exception {
    return signed(new JWSHeader.Builder(alg).keyID(kid).build(), signer, claims);
  }

  private static SignedJWT signed(JWSHeader header, JWSSigner signer, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return SignedJWT.parse(jwt.serialize()); // as it arrives on the wire
  }
}
