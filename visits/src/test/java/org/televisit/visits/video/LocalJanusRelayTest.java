package org.televisit.visits.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.JanusByHand;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.video.rooms.JoinData;
import org.televisit.video.rooms.VideoRooms;

/** The local Janus on the app's own origin: what janus.js needs passes, nothing else does. */
@TelevisitIntegrationTest
class LocalJanusRelayTest extends FhirTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();

  @Autowired VideoBackend backend;

  @Test
  void browsersAreToldToReachTheLocalJanusOnTheAppsOwnOrigin() {
    VideoRooms rooms = backend.rooms().orElseThrow();
    String visit = "visit-" + UUID.randomUUID();
    JoinData data = rooms.admit(visit, "patient-relay", "patient", "Patient");
    assertThat(data.janusUrl()).isEqualTo(LocalJanusRelay.PATH);
    rooms.close(visit);
  }

  @Test
  void janusAnswersThroughTheRelay() throws Exception {
    JsonNode info =
        JanusByHand.call(
            base() + LocalJanusRelay.PATH,
            JSON.createObjectNode().put("janus", "info").put("transaction", "t"));
    assertThat(info.path("janus").asText()).isEqualTo("server_info");
    // token_auth still decides: no token, no session
    JsonNode refused =
        JanusByHand.call(base() + LocalJanusRelay.PATH, JanusByHand.body("create", "made-up"));
    assertThat(refused.path("janus").asText()).isEqualTo("error");
  }

  @Test
  void onlySessionAndHandlePathsOfTheJanusApiAreRelayed() throws Exception {
    for (String path : List.of("/admin", "/1/2/3", "/../admin", "x", "/%2e%2e/admin", "/1/admin")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base() + LocalJanusRelay.PATH + path))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"janus\":\"info\",\"transaction\":\"t\"}")));
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("server_info");
    }
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(URI.create(base() + LocalJanusRelay.PATH))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(put.statusCode()).isEqualTo(405);
  }

  @Test
  void aBodyOver256KbIsRefusedBeforeJanusSeesIt() throws Exception {
    String huge = "{\"janus\":\"info\",\"transaction\":\"" + "x".repeat(300 * 1024) + "\"}";
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base() + LocalJanusRelay.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(huge)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).path("janus").asText()).isEqualTo("error");
  }

  /** More long polls at once than an HTTP client's per-host default (5): each gets its event. */
  @Test
  void eightParticipantsLongPollingAtOnceEachGetTheirEvents() throws Exception {
    VideoRooms rooms = backend.rooms().orElseThrow();
    String visit = "visit-" + UUID.randomUUID();
    String relay = base() + LocalJanusRelay.PATH;
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    List<Runnable> joins = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JoinData data = rooms.admit(visit, "guest-" + i, "guest", "Guest " + i);
      long session =
          JanusByHand.call(relay, JanusByHand.body("create", data.token()))
              .path("data")
              .path("id")
              .asLong();
      var attach = JanusByHand.body("attach", data.token()).put("plugin", "janus.plugin.videoroom");
      long handle =
          JanusByHand.call(relay + "/" + session, attach).path("data").path("id").asLong();
      polls.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(relay + "/" + session + "?maxev=1&token=" + data.token()))
                  .timeout(Duration.ofSeconds(40))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
      var join = JanusByHand.body("message", data.token());
      join.putObject("body")
          .put("request", "join")
          .put("ptype", "subscriber")
          .put("room", data.room())
          .put("pin", data.pin())
          .put("token", data.token())
          .put("feed", 1);
      joins.add(
          () -> {
            try {
              JanusByHand.call(relay + "/" + session + "/" + handle, join);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }
    Thread.sleep(300); // every poll is waiting in Janus before anything happens
    joins.forEach(Runnable::run);
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      // the subscribe to a feed that does not exist answers on the long poll, as an event
      assertThat(JSON.readTree(answer.body()).path("janus").asText())
          .as(answer.body())
          .isEqualTo("event");
    }
    rooms.close(visit);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
