package org.televisit.visits.authorization;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.ops.SecretFiles;

/**
 * The key Televisit's authorization server signs access and id tokens with: configured
 * (televisit.smart.server.signing-jwk, the same on every app node), or generated once into the data
 * folder (0600) for a first run.
 */
final class ServerSigningKey {

  private static final Logger log = LoggerFactory.getLogger(ServerSigningKey.class);

  static RSAKey load(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return parse(configured);
    }
    Path file = dataDir.resolve("smart-server-key.json").toAbsolutePath();
    try {
      boolean existed = Files.exists(file);
      RSAKey key =
          parse(
              SecretFiles.readOrCreate(
                  file,
                  () -> {
                    try {
                      return new RSAKeyGenerator(2048)
                          .keyID("televisit-as-" + UUID.randomUUID().toString().substring(0, 8))
                          .keyUse(KeyUse.SIGNATURE)
                          .algorithm(JWSAlgorithm.RS256)
                          .generate()
                          .toJSONString();
                    } catch (JOSEException e) {
                      throw new IllegalStateException(e);
                    }
                  }));
      if (!existed) {
        log.warn(
            "No televisit.smart.server.signing-jwk configured: generated one in {} (set one in production)",
            file);
      }
      return key;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read or create the authorization server key at " + file, e);
    }
  }

  private static RSAKey parse(String json) {
    try {
      RSAKey key = RSAKey.parse(json);
      if (!key.isPrivate()) {
        throw new IllegalStateException(
            "televisit.smart.server.signing-jwk must include its private part");
      }
      return key;
    } catch (ParseException e) {
      throw new IllegalStateException(
          "televisit.smart.server.signing-jwk is not an RSA JWK: " + e.getMessage(), e);
    }
  }

  private ServerSigningKey() {}
}
