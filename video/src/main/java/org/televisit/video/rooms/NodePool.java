package org.televisit.video.rooms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;

/**
 * The configured Janus nodes and what this app node knows of their health. A node is checked with
 * the Janus API's info; after a failure it is checked again with growing back-off (up to {@code
 * maxBackoff}). Unhealthy and draining nodes get no new rooms; placement picks the healthy node
 * with the most free capacity.
 */
public class NodePool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodePool.class);

  private final Map<String, JanusAdminClient> clients = new LinkedHashMap<>();
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  private final Duration interval;
  private final Duration maxBackoff;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /** What this app node last saw of a Janus node. */
  public record Health(boolean healthy, int failures, Instant checkedAt, Instant nextCheckAt) {}

  public NodePool(
      List<JanusNode> nodes, JanusHttp http, Duration interval, Duration maxBackoff, Clock clock) {
    for (JanusNode node : nodes) {
      if (clients.put(node.id(), new JanusAdminClient(node, http)) != null) {
        throw new IllegalArgumentException("two Janus nodes share the id " + node.id());
      }
      // Unknown until the first check: optimistic, so a first request need not wait for it.
      health.put(node.id(), new Health(true, 0, null, Instant.EPOCH));
    }
    this.interval = interval;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  public Collection<JanusAdminClient> clients() {
    return clients.values();
  }

  public Optional<JanusAdminClient> client(String nodeId) {
    return Optional.ofNullable(clients.get(nodeId));
  }

  public Health health(String nodeId) {
    return health.get(nodeId);
  }

  public boolean isHealthy(String nodeId) {
    Health h = health.get(nodeId);
    return h != null && h.healthy();
  }

  /** Starts the periodic health checks on a daemon thread. */
  public synchronized void start() {
    if (scheduler != null || clients.isEmpty()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "janus-health");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(100, interval.toMillis() / 4);
    scheduler.scheduleWithFixedDelay(this::checkDue, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** Checks every node whose next check is due. */
  public void checkDue() {
    Instant now = clock.instant();
    for (JanusAdminClient client : clients.values()) {
      if (!now.isBefore(health.get(client.node().id()).nextCheckAt())) {
        check(client.node().id());
      }
    }
  }

  /** Checks one node now. */
  public boolean check(String nodeId) {
    JanusAdminClient client = clients.get(nodeId);
    try {
      client.info();
      markHealthy(nodeId);
      return true;
    } catch (RuntimeException e) {
      markUnhealthy(nodeId, e.getMessage());
      return false;
    }
  }

  void markHealthy(String nodeId) {
    Instant now = clock.instant();
    Health before = health.put(nodeId, new Health(true, 0, now, now.plus(interval)));
    if (before != null && !before.healthy()) {
      log.info("Janus node {} is healthy again", nodeId);
    }
  }

  /** Records a failure seen by a health check or by a request on behalf of a visit. */
  public void markUnhealthy(String nodeId, String why) {
    Instant now = clock.instant();
    health.compute(
        nodeId,
        (id, before) -> {
          int failures = before == null ? 1 : before.failures() + 1;
          long backoff =
              Math.min(
                  maxBackoff.toMillis(), interval.toMillis() * (1L << Math.min(failures - 1, 10)));
          if (before == null || before.healthy()) {
            log.warn("Janus node {} is unhealthy: {}", id, why);
          }
          return new Health(false, failures, now, now.plusMillis(backoff));
        });
  }

  /**
   * The node for a new room: healthy, not draining, with the most free capacity given the rooms
   * each node carries now. Empty when no node can take one.
   */
  public Optional<JanusAdminClient> place(Map<String, Integer> roomsPerNode) {
    return clients.values().stream()
        .filter(c -> !c.node().draining() && isHealthy(c.node().id()))
        .filter(c -> free(c, roomsPerNode) > 0)
        .max(
            Comparator.comparingInt((JanusAdminClient c) -> free(c, roomsPerNode))
                .thenComparing(c -> c.node().id(), Comparator.reverseOrder()));
  }

  private static int free(JanusAdminClient c, Map<String, Integer> roomsPerNode) {
    return c.node().capacity() - roomsPerNode.getOrDefault(c.node().id(), 0);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
