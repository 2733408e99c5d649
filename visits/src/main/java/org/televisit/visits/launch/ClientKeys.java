package org.televisit.visits.launch;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.ops.SecretFiles;

/**
 * Televisit's own keys as a SMART client (private_key_jwt): the configured key
 * (televisit.smart.client-jwk), or one RSA key generated once into the data folder (0600) for a
 * first run. Each issuer may also carry a key of its own. The public halves are what Televisit
 * publishes at /.well-known/jwks.json for EHRs to register.
 */
public final class ClientKeys {

  private static final Logger log = LoggerFactory.getLogger(ClientKeys.class);

  private final JWK defaultKey;
  private final JWKSet publicKeys;

  ClientKeys(String configuredJwk, Path dataDir, List<SmartClientProperties.Issuer> issuers) {
    this.defaultKey =
        configuredJwk != null && !configuredJwk.isBlank()
            ? parse(configuredJwk)
            : generatedOnce(dataDir);
    List<JWK> publics = new ArrayList<>();
    publics.add(defaultKey.toPublicJWK());
    for (SmartClientProperties.Issuer issuer : issuers) {
      if (issuer.privateJwk() != null && !issuer.privateJwk().isBlank()) {
        JWK own = parse(issuer.privateJwk()).toPublicJWK();
        if (publics.stream()
            .noneMatch(k -> k.getKeyID() != null && k.getKeyID().equals(own.getKeyID()))) {
          publics.add(own);
        }
      }
    }
    this.publicKeys = new JWKSet(publics);
  }

  public JWK defaultKey() {
    return defaultKey;
  }

  public JWKSet publicKeys() {
    return publicKeys;
  }

  private static JWK parse(String json) {
    try {
      JWK jwk = JWK.parse(json);
      if (!jwk.isPrivate()) {
        throw new IllegalStateException("A SMART client key must include its private part");
      }
      return jwk;
    } catch (ParseException e) {
      throw new IllegalStateException(
          "A configured SMART client key is not a JWK: " + e.getMessage(), e);
    }
  }

  private static JWK generatedOnce(Path dataDir) {
    Path file = dataDir.resolve("smart-client-key.json").toAbsolutePath();
    try {
      boolean existed = Files.exists(file);
      JWK key =
          parse(
              SecretFiles.readOrCreate(
                  file,
                  () -> {
                    try {
                      return new RSAKeyGenerator(2048)
                          .keyID("televisit-" + UUID.randomUUID().toString().substring(0, 8))
                          .keyUse(KeyUse.SIGNATURE)
                          .algorithm(JWSAlgorithm.RS384)
                          .generate()
                          .toJSONString();
                    } catch (JOSEException e) {
                      throw new IllegalStateException(e);
                    }
                  }));
      if (!existed) {
        log.warn(
            "No televisit.smart.client-jwk configured: generated a client key in {} (set one in production)",
            file);
      }
      return key;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read or create the SMART client key at " + file, e);
    }
  }
}
