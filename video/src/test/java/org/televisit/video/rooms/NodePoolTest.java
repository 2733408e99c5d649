package org.televisit.video.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;

class NodePoolTest {

  static JanusNode node(String id, int capacity, boolean draining) {
    return new JanusNode(
        id,
        "http://127.0.0.1:1/janus",
        "http://127.0.0.1:1/admin",
        "s",
        "k",
        "http://x",
        capacity,
        draining);
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
  final NodePool pool =
      new NodePool(
          List.of(node("a", 10, false), node("b", 20, false), node("c", 50, true)),
          JanusHttp.withDefaults(),
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          clock);

  @Test
  void placementPicksTheHealthyNodeWithTheMostFreeRoomsAndSkipsDraining() {
    assertThat(pool.place(Map.of()).map(c -> c.node().id())).hasValue("b");
    assertThat(pool.place(Map.of("b", 15)).map(c -> c.node().id())).hasValue("a");
    assertThat(pool.place(Map.of("a", 10, "b", 20))).isEmpty();
  }

  @Test
  void anUnhealthyNodeGetsNoRoomsAndIsCheckedWithGrowingBackoff() {
    pool.markUnhealthy("b", "test");
    assertThat(pool.place(Map.of()).map(JanusAdminClient::node).map(JanusNode::id)).hasValue("a");
    Instant first = pool.health("b").nextCheckAt();
    pool.markUnhealthy("b", "test");
    Instant second = pool.health("b").nextCheckAt();
    assertThat(Duration.between(clock.instant(), first)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Duration.between(clock.instant(), second)).isEqualTo(Duration.ofSeconds(4));
    for (int i = 0; i < 10; i++) pool.markUnhealthy("b", "test");
    assertThat(Duration.between(clock.instant(), pool.health("b").nextCheckAt()))
        .isEqualTo(Duration.ofSeconds(30));
    pool.markHealthy("b");
    assertThat(pool.isHealthy("b")).isTrue();
  }

  @Test
  void aNodeThatDoesNotAnswerTheHealthCheckIsUnhealthy() {
    assertThat(pool.check("a")).isFalse();
    assertThat(pool.isHealthy("a")).isFalse();
  }
}
