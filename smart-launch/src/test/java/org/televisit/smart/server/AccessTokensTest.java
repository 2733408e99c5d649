package org.televisit.smart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access tokens on /fhir: a token is verified once and then remembered, and what is remembered must
 * still run out, be revocable, and only ever match the exact token that passed. No Spring, no
 * database.
 */
class AccessTokensTest {

  private static final URI ISSUER = URI.create("https://tv.example.org");
  private static final URI FHIR = URI.create("https://tv.example.org/fhir");

  private final Set<String> revoked = new HashSet<>();
  private Instant now = Instant.now();
  private AccessTokens tokens;
  private Grant grant;

  @BeforeEach
  void server() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("server").generate();
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    tokens = new AccessTokens(key, ISSUER, FHIR, id -> !revoked.contains(id), clock);
    grant =
        new Grant("grant-1", "scheduler", "system/Appointment.rs", GrantContext.none(), null, null);
  }

  @Test
  void aVerifiedTokenIsReadOnEveryRequest() throws Exception {
    String token = tokens.issue(grant, "system/Appointment.rs", FHIR, Duration.ofMinutes(5));
    VerifiedToken first = tokens.verify(token);
    VerifiedToken again = tokens.verify(token);
    assertThat(first.clientId()).isEqualTo("scheduler");
    assertThat(first.grantId()).isEqualTo("grant-1");
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aRememberedTokenStillExpires() throws Exception {
    String token = tokens.issue(grant, "system/Appointment.rs", FHIR, Duration.ofMinutes(5));
    tokens.verify(token);
    now = now.plus(Duration.ofMinutes(6));
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(InvalidToken.class)
        .hasMessageContaining("Expired");
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsGrantIsRevoked() throws Exception {
    String token = tokens.issue(grant, "system/Appointment.rs", FHIR, Duration.ofMinutes(5));
    tokens.verify(token);
    revoked.add("grant-1");
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(InvalidToken.class)
        .hasMessageContaining("revoked");
  }

  @Test
  void onlyTheExactTokenThatPassedIsRemembered() throws Exception {
    String token = tokens.issue(grant, "system/Appointment.rs", FHIR, Duration.ofMinutes(5));
    tokens.verify(token);
    String[] parts = token.split("\\.");
    String otherScope =
        tokens.issue(grant, "system/*.cruds", FHIR, Duration.ofMinutes(5)).split("\\.")[1];
    // the verified token's signature on another token's claims
    assertThatThrownBy(() -> tokens.verify(parts[0] + "." + otherScope + "." + parts[2]))
        .isInstanceOf(InvalidToken.class)
        .hasMessageContaining("not valid");
  }
}
