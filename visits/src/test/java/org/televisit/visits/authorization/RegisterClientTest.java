package org.televisit.visits.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;

/** The register-client command on a fresh embedded database: no Spring, the real changelog. */
class RegisterClientTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Map<String, String> env =
      Map.of(
          "TELEVISIT_DB_URL", "jdbc:h2:mem:register-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

  int run(String... args) {
    return RegisterClient.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aSymmetricAppGetsItsSecretOnceAndOnlyItsHashIsStored() {
    int status =
        run(
            "--id",
            "scheduler-1",
            "--name",
            "Clinic scheduler",
            "--type",
            "symmetric",
            "--redirect-uri",
            "https://scheduler.example.org/cb",
            "--scopes",
            "openid user/Appointment.cruds");
    assertThat(status).as(err.toString()).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("registered scheduler-1");
    String secret = printed.substring(printed.lastIndexOf(' ') + 1).trim();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

    var client =
        new ClientRegistry(RegisterClient.dataSource(env), Clock.systemUTC())
            .find("scheduler-1")
            .orElseThrow();
    assertThat(client.type()).isEqualTo(ClientType.CONFIDENTIAL_SYMMETRIC);
    assertThat(client.secretHash()).isNotEqualTo(secret);
    assertThat(client.redirectUris())
        .extracting(Object::toString)
        .containsExactly("https://scheduler.example.org/cb");
  }

  @Test
  void badInputIsExplainedAndNothingIsStored() {
    assertThat(
            run(
                "--id",
                "x",
                "--type",
                "public",
                "--redirect-uri",
                "http://evil.example.org/cb",
                "--scopes",
                "openid"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("https");
    assertThat(
            run(
                "--id",
                "y",
                "--type",
                "asymmetric",
                "--redirect-uri",
                "https://a.example.org/cb",
                "--scopes",
                "openid"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("JWKS");
    assertThat(
            run(
                "--id",
                "z",
                "--type",
                "public",
                "--redirect-uri",
                "https://a.example.org/cb",
                "--scopes",
                "user/Patient.zz"))
        .isEqualTo(2);
    assertThat(run("--type", "public")).isEqualTo(2);
    var registry = new ClientRegistry(RegisterClient.dataSource(env), Clock.systemUTC());
    assertThat(registry.find("x")).isEmpty();
    assertThat(registry.find("y")).isEmpty();
  }
}
