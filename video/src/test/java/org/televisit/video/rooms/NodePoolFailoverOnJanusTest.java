package org.televisit.video.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.local.LocalJanus;
import org.televisit.video.support.JanusParticipant;
import org.televisit.video.support.JanusProcesses;
import org.televisit.video.support.TestDatabase;

/** Three real Janus processes: rooms spread by capacity, and a killed node's rooms move. */
class NodePoolFailoverOnJanusTest {

  static TestDatabase database;
  static JanusProcesses processes;
  static List<LocalJanus> nodes = new ArrayList<>();
  static JanusHttp http;
  static NodePool pool;
  static VideoRooms rooms;
  static RoomDirectory directory;

  @BeforeAll
  static void start() throws Exception {
    database = new TestDatabase();
    processes = new JanusProcesses();
    for (String id : List.of("a", "b", "c")) {
      nodes.add(processes.start(id, null, null));
    }
    http = new JanusHttp(Duration.ofMillis(500), Duration.ofSeconds(2), 1);
    pool =
        new NodePool(
            nodes.stream().map(n -> n.node("http://127.0.0.1", 20)).toList(),
            http,
            Duration.ofMillis(500),
            Duration.ofSeconds(4),
            Clock.systemUTC());
    directory = new RoomDirectory(database.dataSource(), TestDatabase.SEAL);
    rooms = new VideoRooms(pool, directory, Clock.systemUTC(), 4);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    http.close();
    processes.close();
    database.close();
  }

  @Test
  void roomsSpreadByCapacityAndMoveOffAKilledNode() throws Exception {
    for (int i = 0; i < 30; i++) {
      rooms.ensureRoom("spread-" + i);
    }
    Map<String, Integer> perNode = directory.roomsPerNode();
    assertThat(perNode).containsOnlyKeys("a", "b", "c");
    assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isEqualTo(10));

    // a visit on node b with two people admitted
    String onB = directory.visitsOn("b").get(0);
    JoinData clinician = rooms.admit(onB, "practitioner-1", "clinician", "Dr. B");
    rooms.admit(onB, "patient-1", "patient", "Patient");

    nodes.get(1).kill();
    long killedAt = System.nanoTime();
    VideoRoom moved = rooms.ensureRoom(onB);
    double seconds = (System.nanoTime() - killedAt) / 1e9;

    assertThat(moved.nodeId()).isIn("a", "c");
    assertThat(moved.janusRoom()).isNotEqualTo(clinician.room());
    assertThat(pool.isHealthy("b")).isFalse();
    assertThat(seconds)
        .as("ensureRoom settles the move at once, without waiting for a health check")
        .isLessThan(2.0);

    // the clinician asks again and joins the new room with the same token
    JoinData fresh = rooms.joinData(onB, "practitioner-1").orElseThrow();
    assertThat(fresh.room()).isEqualTo(moved.janusRoom());
    assertThat(fresh.janusUrl()).isNotEqualTo(clinician.janusUrl());
    try (JanusParticipant browser = new JanusParticipant(fresh.janusUrl(), fresh.token())) {
      assertThat(browser.connect(fresh.opaqueId())).isNull();
      JsonNode joined = browser.join(fresh);
      assertThat(joined.path("videoroom").asText()).as(joined.toString()).isEqualTo("joined");
    }
    assertThat(pool.client(moved.nodeId()).orElseThrow().listTokens()).contains(fresh.token());

    // new rooms avoid the dead node
    for (int i = 0; i < 6; i++) {
      assertThat(rooms.ensureRoom("after-" + i).nodeId()).isNotEqualTo("b");
    }
    Map<String, Long> after =
        List.of("a", "c").stream()
            .collect(
                Collectors.toMap(n -> n, n -> (long) directory.roomsPerNode().getOrDefault(n, 0)));
    assertThat(after.values()).allSatisfy(n -> assertThat(n).isBetween(13L, 14L));

    // two app nodes (two pools, one database) notice node c dying at the same time
    String onC = directory.visitsOn("c").get(0);
    rooms.admit(onC, "patient-c", "patient", "Patient");
    NodePool otherAppNode =
        new NodePool(
            nodes.stream().map(n -> n.node("http://127.0.0.1", 20)).toList(),
            http,
            Duration.ofMillis(500),
            Duration.ofSeconds(4),
            Clock.systemUTC());
    otherAppNode.markUnhealthy("b", "known dead");
    VideoRooms otherRooms = new VideoRooms(otherAppNode, directory, Clock.systemUTC(), 4);
    int roomsOnABefore = pool.client("a").orElseThrow().listRooms().size();
    nodes.get(2).kill();
    var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
    var first = executor.submit(() -> rooms.ensureRoom(onC));
    var second = executor.submit(() -> otherRooms.ensureRoom(onC));
    VideoRoom one = first.get();
    VideoRoom two = second.get();
    executor.shutdown();
    assertThat(one.janusRoom()).isEqualTo(two.janusRoom());
    assertThat(one.nodeId()).isEqualTo("a");
    assertThat(pool.client("a").orElseThrow().listRooms())
        .as("exactly one replacement room, none leaked")
        .hasSize(roomsOnABefore + 1);
    otherAppNode.close();
  }
}
