package org.televisit.smart.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.security.Key;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a private_key_jwt client assertion (RFC 7523 §3, SMART backend services): signed with an
 * asymmetric algorithm by one of the app's registered keys, iss = sub = the client id, aud = the
 * token endpoint, an exp that has not passed and a jti. Nimbus parses and checks; ECDSA signatures
 * go through BouncyCastle's provider, which verifies P-384 about three times faster than Java 17's
 * own (the largest cost of a token issued for an ES384 assertion). Lifetime and replay are the
 * caller's rules.
 */
final class ClientAssertions {

  /** Where an app's registered public keys come from (inline JWKS or its JWKS URL). */
  interface Keys {
    JWKSource<SecurityContext> of(SmartClient client) throws ClientRefused;
  }

  private static final Set<JWSAlgorithm> ALGORITHMS = asymmetric();

  private static final JWSVerifierFactory VERIFIERS = new EcdsaByBouncyCastle();
  // No typ, "JWT" (RFC 7523), or the explicit type of draft-ietf-oauth-rfc7523bis; anything else
  // (an
  // access token's "at+jwt", say) is not a client assertion.
  private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES =
      new DefaultJOSEObjectTypeVerifier<>(
          null, JOSEObjectType.JWT, new JOSEObjectType("client-authentication+jwt"));

  private final String audience;
  private final Keys keys;

  ClientAssertions(String tokenEndpoint, Keys keys) {
    this.audience = tokenEndpoint;
    this.keys = keys;
  }

  void check(SignedJWT assertion, SmartClient client) throws ClientRefused {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys.of(client)));
    processor.setJWSVerifierFactory(VERIFIERS);
    processor.setJWSTypeVerifier(TYPES);
    JWTClaimsSet self =
        new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId()).build();
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(Set.of(audience), self, Set.of("exp", "jti"), null));
    try {
      processor.process(assertion, null);
    } catch (BadJOSEException e) {
      throw new ClientRefused(
          OAuth2Error.INVALID_CLIENT, "client assertion refused: " + e.getMessage());
    } catch (JOSEException e) {
      throw new ClientRefused(OAuth2Error.INVALID_CLIENT, "client assertion could not be checked");
    }
  }

  private static Set<JWSAlgorithm> asymmetric() {
    Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    algorithms.remove(JWSAlgorithm.ES256K); // secp256k1 is no JOSE curve SMART names
    return Set.copyOf(algorithms);
  }

  /**
   * Nimbus' verifiers, with BouncyCastle's provider for ECDSA and the JDK's for RSA (fast there).
   */
  private static final class EcdsaByBouncyCastle implements JWSVerifierFactory {
    private final DefaultJWSVerifierFactory jdk = new DefaultJWSVerifierFactory();
    private final DefaultJWSVerifierFactory bouncyCastle = new DefaultJWSVerifierFactory();

    EcdsaByBouncyCastle() {
      bouncyCastle.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      return JWSAlgorithm.Family.EC.contains(header.getAlgorithm())
          ? bouncyCastle.createJWSVerifier(header, key)
          : jdk.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return jdk.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
      return jdk.getJCAContext();
    }
  }
}
