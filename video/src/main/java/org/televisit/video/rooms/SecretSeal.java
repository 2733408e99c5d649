package org.televisit.video.rooms;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the Janus secrets Televisit must keep (room secret, pin, participant tokens) before they
 * reach the database: JWE compact, direct AES-256-GCM with a key from configuration. A database
 * dump alone then opens no room.
 */
public final class SecretSeal {

  private final DirectEncrypter encrypter;
  private final DirectDecrypter decrypter;

  /**
   * @param base64Key 32 bytes, base64 or base64url
   */
  public SecretSeal(String base64Key) {
    byte[] key = decode(base64Key);
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "The video secret key must be 32 bytes (base64), got " + key.length);
    }
    try {
      SecretKeySpec spec = new SecretKeySpec(key, "AES");
      this.encrypter = new DirectEncrypter(spec);
      // one shared generator for the IVs: without it Nimbus builds a new SecureRandom per seal
      this.encrypter.getJCAContext().setSecureRandom(new SecureRandom());
      this.decrypter = new DirectDecrypter(spec);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Unusable video secret key: " + e.getMessage(), e);
    }
  }

  public String seal(String secret) {
    JWEObject jwe =
        new JWEObject(
            new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(secret));
    try {
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not seal a video secret", e);
    }
    return jwe.serialize();
  }

  public String open(String sealed) {
    try {
      JWEObject jwe = JWEObject.parse(sealed);
      jwe.decrypt(decrypter);
      return jwe.getPayload().toString();
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException(
          "A stored video secret cannot be opened with the configured key", e);
    }
  }

  private static byte[] decode(String value) {
    String v = value.trim();
    return v.contains("+") || v.contains("/") || v.endsWith("=")
        ? Base64.getDecoder().decode(v)
        : Base64.getUrlDecoder().decode(v);
  }
}
