package org.televisit.video.janus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a real Janus will not do on demand: hang, fail with 5xx, answer garbage, or typed errors.
 */
class JanusClientEdgesTest {

  WireMockServer janus;
  JanusHttp http;
  JanusAdminClient client;

  @BeforeEach
  void start() {
    janus = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    janus.start();
    http = new JanusHttp(Duration.ofMillis(300), Duration.ofMillis(400), 2);
    client =
        new JanusAdminClient(
            new JanusNode(
                "mock",
                janus.baseUrl() + "/janus",
                janus.baseUrl() + "/admin",
                "s3cret",
                "key",
                "http://public/janus",
                10,
                false),
            http);
  }

  @AfterEach
  void stop() {
    http.close();
    janus.stop();
  }

  @Test
  void aHangingNodeTimesOutAndIdempotentCallsAreRetriedAFewTimes() {
    janus.stubFor(post("/janus").willReturn(aResponse().withFixedDelay(2_000).withBody("{}")));
    long t0 = System.nanoTime();
    assertThatThrownBy(client::info)
        .isInstanceOf(JanusUnreachable.class)
        .hasMessageContaining("did not answer");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(seconds).isLessThan(3.0);
    janus.verify(3, postRequestedFor(urlEqualTo("/janus")));
  }

  @Test
  void aNonIdempotentCallIsNotRetried() {
    janus.stubFor(post("/admin").willReturn(aResponse().withFixedDelay(2_000).withBody("{}")));
    assertThatThrownBy(
            () -> client.createRoom(new JanusAdminClient.RoomSpec(1, "d", "s", "p", 4, List.of())))
        .isInstanceOf(JanusUnreachable.class);
    janus.verify(1, postRequestedFor(urlEqualTo("/admin")));
  }

  @Test
  void a5xxIsUnreachableNotRetriedAfterAnAnswer() {
    janus.stubFor(post("/janus").willReturn(aResponse().withStatus(503).withBody("busy")));
    assertThatThrownBy(client::info)
        .isInstanceOf(JanusUnreachable.class)
        .hasMessageContaining("HTTP 503");
    janus.verify(1, postRequestedFor(urlEqualTo("/janus")));
  }

  @Test
  void garbageIsUnreachable() {
    janus.stubFor(post("/janus").willReturn(aResponse().withBody("<html>proxy error</html>")));
    assertThatThrownBy(client::info)
        .isInstanceOf(JanusUnreachable.class)
        .hasMessageContaining("malformed");
    janus.stubFor(post("/janus").willReturn(aResponse().withBody("[1,2,3]")));
    assertThatThrownBy(client::info)
        .isInstanceOf(JanusUnreachable.class)
        .hasMessageContaining("not Janus JSON");
  }

  @Test
  void janusErrorsBecomeTypedExceptions() {
    janus.stubFor(
        post("/admin")
            .withRequestBody(matchingJsonPath("$.request.request", equalTo("exists")))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"janus\":\"success\",\"transaction\":\"x\",\"response\":{\"videoroom\":\"event\",\"error_code\":426,\"error\":\"No such room\"}}")));
    assertThatThrownBy(() -> client.roomExists(5)).isInstanceOf(JanusException.NoSuchRoom.class);

    janus.stubFor(
        post("/admin")
            .withRequestBody(matchingJsonPath("$.request.request", equalTo("destroy")))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"janus\":\"success\",\"transaction\":\"x\",\"response\":{\"videoroom\":\"event\",\"error_code\":433,\"error\":\"Unauthorized (wrong secret)\"}}")));
    assertThatThrownBy(() -> client.destroyRoom(5, "wrong"))
        .isInstanceOf(JanusException.WrongSecret.class);

    janus.stubFor(
        post("/admin")
            .withRequestBody(matchingJsonPath("$.janus", equalTo("add_token")))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"janus\":\"error\",\"transaction\":\"x\",\"error\":{\"code\":403,\"reason\":\"Unauthorized request (wrong or missing secret/token)\"}}")));
    assertThatThrownBy(() -> client.addToken("t"))
        .isInstanceOf(JanusException.Unauthorized.class)
        .satisfies(e -> assertThat(((JanusException) e).code()).isEqualTo(403));

    janus.stubFor(
        post("/admin")
            .withRequestBody(matchingJsonPath("$.request.request", equalTo("create")))
            .willReturn(
                aResponse()
                    .withBody(
                        "{\"janus\":\"success\",\"transaction\":\"x\",\"response\":{\"videoroom\":\"event\",\"error_code\":427,\"error\":\"Room 5 already exists\"}}")));
    assertThatThrownBy(
            () -> client.createRoom(new JanusAdminClient.RoomSpec(5, "d", "s", "p", 4, List.of())))
        .isInstanceOf(JanusException.RoomExists.class);
  }

  @Test
  void theAdminSecretIsSentAndNeverInTheMessageOfAnError() {
    janus.stubFor(post("/admin").willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(() -> client.removeToken("tok"))
        .isInstanceOf(JanusUnreachable.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("tok"));
    janus.verify(
        postRequestedFor(urlEqualTo("/admin"))
            .withRequestBody(matchingJsonPath("$.admin_secret", equalTo("s3cret"))));
  }
}
