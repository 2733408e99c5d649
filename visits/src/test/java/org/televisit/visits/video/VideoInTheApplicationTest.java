package org.televisit.visits.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.video.events.VideoEvent;
import org.televisit.video.rooms.JoinData;
import org.televisit.video.rooms.VideoRooms;

/**
 * The application's own local Janus: status, and its events reaching Televisit tied to the
 * participant.
 */
@TelevisitIntegrationTest
class VideoInTheApplicationTest extends FhirTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();

  @Autowired VideoBackend backend;
  @Autowired ConfigurableApplicationContext context;

  @Test
  void theLocalJanusIsUpAndReportedHealthy() throws Exception {
    HttpResponse<String> status = get("/api/video/status", "application/json");
    assertThat(status.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(status.body());
    assertThat(body.path("available").asBoolean()).as(status.body()).isTrue();
    assertThat(body.path("nodes").get(0).path("id").asText()).isEqualTo("local");
    assertThat(status.body()).doesNotContain("secret").doesNotContain("127.0.0.1");
  }

  @Test
  void eventsNeedTheRightCredentials() throws Exception {
    assertThat(postEvents(null, "[]").statusCode()).isEqualTo(401);
    assertThat(postEvents("janus:wrong", "[]").statusCode()).isEqualTo(401);
    String good = "janus:" + backend.eventsPassword().orElseThrow();
    assertThat(postEvents(good, "[]").statusCode()).isEqualTo(204);
    assertThat(postEvents(good, "{not json").statusCode()).isEqualTo(400);
    assertThat(postEvents(good, "[{\"type\":\"x\"}]").statusCode()).isEqualTo(400);
    String huge =
        "["
            + "{\"type\":2,\"timestamp\":1,\"session_id\":1,\"event\":{}},".repeat(6000)
            + "{\"type\":2}]";
    assertThat(postEvents(good, huge).statusCode()).isEqualTo(413);
  }

  @Test
  void aJoinInTheLocalJanusArrivesAsPresenceOfTheAdmittedParticipant() throws Exception {
    // Janus posts from outside: the events are published on a request thread, so listen on the
    // context
    List<VideoPresence> seen = new CopyOnWriteArrayList<>();
    ApplicationListener<PayloadApplicationEvent<VideoPresence>> listener =
        e -> seen.add(e.getPayload());
    context.addApplicationListener(listener);
    VideoRooms rooms = backend.rooms().orElseThrow();
    String visit = "visit-" + UUID.randomUUID();
    JoinData data = rooms.admit(visit, "patient-42", "patient", "Patient");

    // what janus.js does: session, attach with the opaque id, join with token and pin
    assertThat(
            org.televisit.support.JanusByHand.joinAsPublisher(
                    org.televisit.support.JanusByHand.from(base(), data.janusUrl()),
                    data.token(),
                    data.opaqueId(),
                    data.room(),
                    data.pin(),
                    data.feedId(),
                    "Patient")
                .path("janus")
                .asText())
        .isEqualTo("ack");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(seen)
                    .anySatisfy(
                        p -> {
                          assertThat(p.event().kind()).isEqualTo(VideoEvent.Kind.JOINED);
                          assertThat(p.participant())
                              .hasValueSatisfying(
                                  a -> assertThat(a.participant()).isEqualTo("patient-42"));
                        }));
    rooms.close(visit);
    context.removeApplicationListener(listener);
  }

  HttpResponse<String> postEvents(String credentials, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + VideoBackend.EVENTS_PATH))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
