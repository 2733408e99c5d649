package org.televisit.smart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authorization server's fixed rules that need no database. */
class ServerRulesTest {

  @Test
  void lifetimesCannotExceedWhatSmartAllows() {
    ServerSettings d = ServerSettings.defaults();
    assertThatThrownBy(
            () ->
                new ServerSettings(
                    Duration.ofSeconds(61),
                    d.accessTokenLife(),
                    d.backendTokenLife(),
                    d.refreshLife(),
                    d.launchLife(),
                    d.grantCacheTtl(),
                    d.connectTimeout(),
                    d.readTimeout()))
        .hasMessageContaining("60 s");
    assertThatThrownBy(
            () ->
                new ServerSettings(
                    d.codeLife(),
                    Duration.ofMinutes(61),
                    d.backendTokenLife(),
                    d.refreshLife(),
                    d.launchLife(),
                    d.grantCacheTtl(),
                    d.connectTimeout(),
                    d.readTimeout()))
        .hasMessageContaining("1 h");
    assertThatThrownBy(
            () ->
                new ServerSettings(
                    d.codeLife(),
                    d.accessTokenLife(),
                    Duration.ofSeconds(301),
                    d.refreshLife(),
                    d.launchLife(),
                    d.grantCacheTtl(),
                    d.connectTimeout(),
                    d.readTimeout()))
        .hasMessageContaining("300 s");
  }

  @Test
  void redirectUrisMatchExactly() {
    SmartClient client =
        new SmartClient(
            "a",
            "A",
            ClientType.PUBLIC,
            null,
            null,
            null,
            List.of(URI.create("https://app.example.org/cb")),
            List.of("openid"),
            null);
    assertThat(client.hasRedirectUri(URI.create("https://app.example.org/cb"))).isTrue();
    assertThat(client.hasRedirectUri(URI.create("https://app.example.org/cb/"))).isFalse();
    assertThat(client.hasRedirectUri(URI.create("https://app.example.org/cb?x=1"))).isFalse();
    assertThat(client.hasRedirectUri(URI.create("https://APP.example.org/cb"))).isFalse();
    assertThat(client.hasRedirectUri(null)).isFalse();
  }

  @Test
  void urlsHangOffThePublicBaseAndTheAudienceIsTheFhirBase() {
    ServerUrls urls = ServerUrls.under(URI.create("https://tv.example.org/"));
    assertThat(urls.fhirBase()).hasToString("https://tv.example.org/fhir");
    assertThat(urls.token()).hasToString("https://tv.example.org/oauth/token");
    assertThat(urls.isAudience("https://tv.example.org/fhir/")).isTrue();
    assertThat(urls.isAudience("https://tv.example.org/fhir2")).isFalse();
    assertThat(urls.isAudience(null)).isFalse();
    assertThat(urls.absolute("Practitioner/7"))
        .hasToString("https://tv.example.org/fhir/Practitioner/7");
  }

  @Test
  void grantContextSurvivesItsStorageForm() {
    GrantContext context =
        new GrantContext(
            "Practitioner/1",
            "Patient/2",
            "Encounter/3",
            List.of("Appointment/4"),
            true,
            "reconcile");
    assertThat(GrantContext.fromJson(context.toJson())).isEqualTo(context);
    assertThat(GrantContext.fromJson(GrantContext.none().toJson())).isEqualTo(GrantContext.none());
  }

  @Test
  void digestsCompareWithoutRevealingTheSecret() {
    String hash = Digests.sha256("s3cret");
    assertThat(hash).doesNotContain("s3cret").hasSize(43);
    assertThat(Digests.same(hash, Digests.sha256("s3cret"))).isTrue();
    assertThat(Digests.same(hash, Digests.sha256("s3creT"))).isFalse();
    assertThat(Digests.same(hash, null)).isFalse();
  }
}
