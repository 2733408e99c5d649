package org.televisit.video.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.televisit.video.events.VideoEvent;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.local.LocalJanus;
import org.televisit.video.support.EventSink;
import org.televisit.video.support.JanusParticipant;
import org.televisit.video.support.JanusProcesses;
import org.televisit.video.support.TestDatabase;

/** Rooms, admissions and events against one real Janus process and a real PostgreSQL. */
class VideoRoomsOnJanusTest {

  static TestDatabase database;
  static JanusProcesses processes;
  static EventSink sink;
  static LocalJanus janus;
  static JanusHttp http;
  static NodePool pool;
  static VideoRooms rooms;
  static JanusAdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    database = new TestDatabase();
    processes = new JanusProcesses();
    sink = new EventSink();
    janus = processes.start("solo", sink.url(), sink.password);
    http = JanusHttp.withDefaults();
    pool =
        new NodePool(
            List.of(janus.node("http://127.0.0.1")),
            http,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Clock.systemUTC());
    rooms =
        new VideoRooms(
            pool,
            new RoomDirectory(database.dataSource(), TestDatabase.SEAL),
            Clock.systemUTC(),
            4);
    admin = pool.client("solo").orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    http.close();
    processes.close();
    sink.close();
    database.close();
  }

  @Test
  void ensureRoomIsIdempotentAndMakesAPrivateProtectedRoom() {
    VideoRoom first = rooms.ensureRoom("visit-idempotent");
    VideoRoom again = rooms.ensureRoom("visit-idempotent");
    assertThat(again.janusRoom()).isEqualTo(first.janusRoom());
    assertThat(first.janusRoom()).isPositive().isLessThanOrEqualTo(VideoRooms.MAX_JS_SAFE);
    assertThat(admin.roomExists(first.janusRoom())).isTrue();
    assertThat(first.secret()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(first.pin()).hasSizeGreaterThanOrEqualTo(16);
  }

  @Test
  void secretsAndTokensAreNotStoredInClear() throws Exception {
    VideoRoom room = rooms.ensureRoom("visit-sealed");
    JoinData data = rooms.admit("visit-sealed", "patient-s", "patient", "Patient");
    try (var c = database.dataSource().getConnection();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT r.secret, r.pin, p.janus_token FROM televisit.video_room r"
                    + " JOIN televisit.video_participant p ON p.visit_key = r.visit_key WHERE r.visit_key = 'visit-sealed'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isNotEqualTo(room.secret()).doesNotContain(room.secret());
      assertThat(rs.getString(2)).doesNotContain(room.pin());
      assertThat(rs.getString(3)).doesNotContain(data.token());
    }
  }

  @Test
  void anAdmittedParticipantJoinsWithTokenAndPin() throws Exception {
    JoinData data = rooms.admit("visit-join", "practitioner-1", "clinician", "Dr. Example");
    assertThat(data.janusUrl()).isEqualTo(janus.node("http://127.0.0.1").publicUrl());
    try (JanusParticipant browser = new JanusParticipant(data.janusUrl(), data.token())) {
      assertThat(browser.connect(data.opaqueId())).isNull();
      JsonNode joined = browser.join(data);
      assertThat(joined.path("videoroom").asText()).as(joined.toString()).isEqualTo("joined");
      assertThat(admin.listParticipants(data.room()))
          .extracting(JanusAdminClient.RoomParticipant::id)
          .contains(data.feedId());
    }
  }

  @Test
  void aWrongPinIsRefused() throws Exception {
    JoinData data = rooms.admit("visit-pin", "patient-1", "patient", "Patient");
    try (JanusParticipant browser = new JanusParticipant(data.janusUrl(), data.token())) {
      assertThat(browser.connect(data.opaqueId())).isNull();
      JsonNode refused = browser.join(data.room(), "not-the-pin", data.feedId(), "Patient");
      assertThat(refused.path("error_code").asInt()).isEqualTo(433);
    }
  }

  @Test
  void anUnknownTokenIsRefused() throws Exception {
    JoinData data = rooms.admit("visit-unknown", "patient-1", "patient", "Patient");
    try (JanusParticipant stranger = new JanusParticipant(data.janusUrl(), "made-up-token")) {
      JsonNode refused = stranger.connect(null);
      assertThat(refused).isNotNull();
      assertThat(refused.path("error").path("code").asInt()).isEqualTo(403);
    }
    try (JanusParticipant noToken = new JanusParticipant(data.janusUrl(), null)) {
      assertThat(noToken.connect(null).path("error").path("code").asInt()).isEqualTo(403);
    }
  }

  @Test
  void aRevokedParticipantIsCutOffAndCannotComeBack() throws Exception {
    JoinData data = rooms.admit("visit-revoke", "guest-1", "guest", "Interpreter");
    try (JanusParticipant browser = new JanusParticipant(data.janusUrl(), data.token())) {
      assertThat(browser.connect(data.opaqueId())).isNull();
      assertThat(browser.join(data).path("videoroom").asText()).isEqualTo("joined");

      rooms.revoke("visit-revoke", "guest-1");

      assertThat(admin.listParticipants(data.room()))
          .extracting(JanusAdminClient.RoomParticipant::id)
          .doesNotContain(data.feedId());
      assertThat(browser.keepalive().path("error").path("code").asInt()).isEqualTo(403);
      assertThat(admin.listTokens()).doesNotContain(data.token());
    }
    try (JanusParticipant again = new JanusParticipant(data.janusUrl(), data.token())) {
      assertThat(again.connect(null).path("error").path("code").asInt()).isEqualTo(403);
    }
    assertThat(rooms.admissions("visit-revoke"))
        .singleElement()
        .satisfies(a -> assertThat(a.revoked()).isTrue());
  }

  @Test
  void aRejoinGetsAFreshTokenAndTheOldOneStopsWorking() throws Exception {
    JoinData first = rooms.admit("visit-rejoin", "patient-2", "patient", "Patient");
    JoinData second = rooms.admit("visit-rejoin", "patient-2", "patient", "Patient");
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(admin.listTokens()).contains(second.token()).doesNotContain(first.token());
    try (JanusParticipant browser = new JanusParticipant(second.janusUrl(), second.token())) {
      assertThat(browser.connect(second.opaqueId())).isNull();
      assertThat(browser.join(second).path("videoroom").asText()).isEqualTo("joined");
    }
  }

  @Test
  void closeKicksEveryoneRemovesTokensAndDestroysTheRoom() throws Exception {
    JoinData clinician = rooms.admit("visit-close", "practitioner-9", "clinician", "Dr. Nine");
    JoinData patient = rooms.admit("visit-close", "patient-9", "patient", "Patient");
    try (JanusParticipant browser = new JanusParticipant(clinician.janusUrl(), clinician.token())) {
      assertThat(browser.connect(clinician.opaqueId())).isNull();
      assertThat(browser.join(clinician).path("videoroom").asText()).isEqualTo("joined");
      rooms.close("visit-close");
    }
    assertThat(admin.roomExists(clinician.room())).isFalse();
    assertThat(admin.listTokens()).doesNotContain(clinician.token(), patient.token());
    assertThat(rooms.room("visit-close")).isEmpty();
  }

  @Test
  void janusReportsJoinsAndLeavesTiedToTheParticipant() throws Exception {
    JoinData data = rooms.admit("visit-events", "patient-5", "patient", "Patient");
    try (JanusParticipant browser = new JanusParticipant(data.janusUrl(), data.token())) {
      assertThat(browser.connect(data.opaqueId())).isNull();
      assertThat(browser.join(data).path("videoroom").asText()).isEqualTo("joined");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(sink.events())
                      .anySatisfy(
                          e -> {
                            assertThat(e.kind()).isEqualTo(VideoEvent.Kind.JOINED);
                            assertThat(e.opaqueId()).isEqualTo(data.opaqueId());
                            assertThat(e.room()).isEqualTo(data.room());
                            assertThat(e.feedId()).isEqualTo(data.feedId());
                          }));
    }
    // the leave arrives after the handle is gone: it carries only room and feed id
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(sink.events())
                    .anySatisfy(
                        e -> {
                          assertThat(e.kind()).isEqualTo(VideoEvent.Kind.LEFT);
                          assertThat(e.room()).isEqualTo(data.room());
                          assertThat(e.feedId()).isEqualTo(data.feedId());
                        }));
    for (VideoEvent e : sink.events()) {
      if (data.opaqueId().equals(e.opaqueId()) || Long.valueOf(data.feedId()).equals(e.feedId())) {
        assertThat(rooms.participantOf(e))
            .as(e.toString())
            .hasValueSatisfying(a -> assertThat(a.participant()).isEqualTo("patient-5"));
      }
    }
  }
}
