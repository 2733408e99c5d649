package org.televisit.video.rooms;

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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;
import org.televisit.video.support.TestDatabase;

/** A Janus node that fails half-way: nothing leaks, neither in Janus nor in the directory. */
class PartialFailureTest {

  static final String OK =
      "{\"janus\":\"success\",\"transaction\":\"x\",\"response\":{\"videoroom\":\"success\",\"exists\":true}}";

  WireMockServer janus;
  JanusHttp http;
  TestDatabase database;
  VideoRooms rooms;
  RoomDirectory directory;

  @BeforeEach
  void start() throws Exception {
    janus = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    janus.start();
    database = new TestDatabase();
    http = new JanusHttp(Duration.ofMillis(300), Duration.ofMillis(400), 0);
    NodePool pool =
        new NodePool(
            List.of(
                new JanusNode(
                    "mock",
                    janus.baseUrl() + "/janus",
                    janus.baseUrl() + "/admin",
                    "s",
                    "k",
                    "http://public/janus",
                    10,
                    false)),
            http,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Clock.systemUTC());
    directory = new RoomDirectory(database.dataSource(), TestDatabase.SEAL);
    rooms = new VideoRooms(pool, directory, Clock.systemUTC(), 4);
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    janus.stop();
    database.close();
  }

  @Test
  void aFailedCreateLeavesNoRoomRecord() {
    janus.stubFor(post("/admin").willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(() -> rooms.ensureRoom("visit-x")).isInstanceOf(VideoUnavailable.class);
    assertThat(directory.find("visit-x")).isEmpty();
  }

  @Test
  void whenAllowingTheTokenFailsTheTokenIsRemovedAgain() {
    janus.stubFor(post("/admin").willReturn(aResponse().withBody(OK)));
    janus.stubFor(
        post("/admin")
            .withRequestBody(matchingJsonPath("$.request.request", equalTo("allowed")))
            .willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(() -> rooms.admit("visit-y", "patient-1", "patient", "Patient"))
        .isInstanceOf(RuntimeException.class);
    janus.verify(
        1,
        postRequestedFor(urlEqualTo("/admin"))
            .withRequestBody(matchingJsonPath("$.janus", equalTo("add_token"))));
    janus.verify(
        1,
        postRequestedFor(urlEqualTo("/admin"))
            .withRequestBody(matchingJsonPath("$.janus", equalTo("remove_token"))));
    assertThat(directory.admissions("visit-y")).isEmpty();
  }

  @Test
  void aNodeThatStopsAnsweringIsMarkedUnhealthyAndNoLongerPlaced() {
    janus.stubFor(post("/admin").willReturn(aResponse().withBody(OK)));
    rooms.ensureRoom("visit-z");
    janus.stubFor(post("/admin").willReturn(aResponse().withFixedDelay(1_000)));
    assertThatThrownBy(() -> rooms.ensureRoom("visit-z"))
        .isInstanceOf(VideoUnavailable.class)
        .hasMessageContaining("no healthy video server");
  }
}
