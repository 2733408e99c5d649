package org.televisit.video.rooms;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.video.events.VideoEvent;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.janus.JanusAdminClient.RoomSpec;
import org.televisit.video.janus.JanusException;
import org.televisit.video.janus.JanusUnreachable;

/**
 * Video rooms for visits over a pool of Janus nodes. A visit is known here only by an opaque key
 * (no PHI); rooms are private, secret- and pin-protected, and only tokens Televisit admitted may
 * join.
 */
public class VideoRooms {

  private static final Logger log = LoggerFactory.getLogger(VideoRooms.class);

  /** Browsers read JSON numbers as doubles: room and feed ids must stay exact there. */
  static final long MAX_JS_SAFE = (1L << 53) - 1;

  private final NodePool pool;
  private final RoomDirectory directory;
  private final Clock clock;
  private final int maxPublishers;
  private final SecureRandom random = new SecureRandom();

  public VideoRooms(NodePool pool, RoomDirectory directory, Clock clock, int maxPublishers) {
    this.pool = pool;
    this.directory = directory;
    this.clock = clock;
    this.maxPublishers = maxPublishers;
  }

  /**
   * The visit's room, created on first call. Later calls return the same room; if its node is dead
   * (or lost the room), the room is re-created on a healthy node and everyone admitted is
   * re-admitted there, so a client that asks again gets fresh join data.
   */
  public VideoRoom ensureRoom(String visitKey) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<VideoRoom> existing = directory.find(visitKey);
      if (existing.isPresent()) {
        VideoRoom room = existing.get();
        if (stillThere(room)) {
          return room;
        }
        return move(room);
      }
      VideoRoom room = newRoom(visitKey, placeOrFail());
      JanusAdminClient client = pool.client(room.nodeId()).orElseThrow();
      boolean created = directory.claim(room, () -> create(client, room));
      if (created) {
        log.info("Video room created for a visit on node {}", room.nodeId());
        return room;
      }
      // Another app node created it meanwhile: read theirs.
    }
    throw new VideoUnavailable("Could not settle the video room for this visit; try again.");
  }

  /**
   * Admits a participant: their own Janus token, allowed in the room. A rejoin gets a fresh token.
   * Optimistic: the recorded room is used as it is, and only when Janus says it lost the room (or
   * does not answer) is the room ensured again (moved) and the grant retried once.
   */
  public JoinData admit(String visitKey, String participant, String role, String display) {
    Optional<RoomDirectory.RoomAndAdmission> recorded =
        directory.roomAndAdmission(visitKey, participant);
    VideoRoom room =
        recorded.map(RoomDirectory.RoomAndAdmission::room).orElseGet(() -> ensureRoom(visitKey));
    Admission admission =
        new Admission(
            visitKey,
            participant,
            role,
            display,
            randomText(32),
            randomId(),
            randomText(16),
            clock.instant(),
            null);
    Optional<Admission> earlier =
        recorded.flatMap(RoomDirectory.RoomAndAdmission::admission).filter(a -> !a.revoked());
    try {
      grantReplacing(clientOf(room), room, earlier, admission);
    } catch (JanusException.NoSuchRoom | JanusUnreachable lost) {
      if (lost instanceof JanusUnreachable) {
        pool.markUnhealthy(room.nodeId(), lost.getMessage());
      }
      room = ensureRoom(visitKey);
      grantReplacing(clientOf(room), room, earlier, admission);
    }
    JanusAdminClient client = clientOf(room);
    try {
      directory.readmit(admission);
    } catch (RuntimeException e) {
      revokeOn(client, room, admission);
      throw e;
    }
    return joinData(client, room, admission);
  }

  private void grantReplacing(
      JanusAdminClient client, VideoRoom room, Optional<Admission> earlier, Admission admission) {
    if (earlier.isPresent()) {
      revokeOn(client, room, earlier.get());
    }
    grant(client, room, admission);
  }

  /**
   * Cuts a participant off: their token leaves Janus and the room, and their publisher is kicked.
   */
  public void revoke(String visitKey, String participant) {
    Optional<RoomDirectory.RoomAndAdmission> current = admitted(visitKey, participant);
    if (current.isEmpty()) {
      return;
    }
    VideoRoom room = current.get().room();
    revokeOn(clientOf(room), room, current.get().admission().orElseThrow());
    directory.revoked(visitKey, participant);
  }

  /**
   * Ends the room: everyone kicked, every token removed, the room destroyed, the record deleted.
   */
  public void close(String visitKey) {
    Optional<VideoRoom> found = directory.find(visitKey);
    if (found.isEmpty()) {
      return;
    }
    VideoRoom room = found.get();
    Optional<JanusAdminClient> client = pool.client(room.nodeId());
    if (client.isPresent() && pool.isHealthy(room.nodeId())) {
      JanusAdminClient janus = client.get();
      // The room first: Janus tells every participant at once that it is gone (their pages release
      // camera and microphone); kicking each one before would only delay that. Then the tokens.
      boolean reachable = true;
      try {
        janus.destroyRoom(room.janusRoom(), room.secret());
      } catch (JanusException.NoSuchRoom gone) {
        // already gone (node restarted): nothing to destroy
      } catch (JanusUnreachable e) {
        pool.markUnhealthy(room.nodeId(), e.getMessage());
        reachable = false;
      }
      for (Admission a : reachable ? directory.admissions(visitKey) : List.<Admission>of()) {
        if (!a.revoked()) {
          janus.removeToken(a.janusToken());
        }
      }
    }
    directory.delete(visitKey);
    log.info("Video room closed on node {}", room.nodeId());
  }

  public Optional<VideoRoom> room(String visitKey) {
    return directory.find(visitKey);
  }

  public List<Admission> admissions(String visitKey) {
    return directory.admissions(visitKey);
  }

  /** Fresh join data for someone already admitted (their current token), e.g. after a move. */
  public Optional<JoinData> joinData(String visitKey, String participant) {
    return admitted(visitKey, participant)
        .map(
            current -> {
              VideoRoom room = current.room();
              return joinData(clientOf(room), room, current.admission().orElseThrow());
            });
  }

  /** The room and the participant's admission, when they are admitted and not revoked. */
  private Optional<RoomDirectory.RoomAndAdmission> admitted(String visitKey, String participant) {
    return directory
        .roomAndAdmission(visitKey, participant)
        .filter(ra -> ra.admission().filter(a -> !a.revoked()).isPresent());
  }

  /**
   * Who an event is about: by the opaque id given at admission, or (for events Janus sends after
   * the handle is gone, such as leaving) by room and feed id. Empty for session-level events.
   */
  public Optional<Admission> participantOf(VideoEvent event) {
    if (event.opaqueId() != null) {
      Optional<Admission> byOpaque = directory.byOpaqueId(event.opaqueId());
      if (byOpaque.isPresent()) {
        return byOpaque;
      }
    }
    if (event.room() != null && event.feedId() != null) {
      return directory.byRoomAndFeed(event.room(), event.feedId());
    }
    return Optional.empty();
  }

  // ---- internals

  private boolean stillThere(VideoRoom room) {
    Optional<JanusAdminClient> client = pool.client(room.nodeId());
    if (client.isEmpty() || !pool.isHealthy(room.nodeId())) {
      return false;
    }
    try {
      return client.get().roomExists(room.janusRoom());
    } catch (JanusUnreachable e) {
      pool.markUnhealthy(room.nodeId(), e.getMessage());
      return false;
    }
  }

  /** Re-creates a lost room on a healthy node and re-admits everyone with their tokens. */
  private VideoRoom move(VideoRoom lost) {
    return directory
        .moveIfStill(
            lost,
            current -> {
              JanusAdminClient target = placeOrFail();
              VideoRoom moved =
                  new VideoRoom(
                      current.visitKey(),
                      target.node().id(),
                      randomId(),
                      current.secret(),
                      current.pin(),
                      current.createdAt());
              create(target, moved);
              List<Admission> admitted =
                  directory.admissions(current.visitKey()).stream()
                      .filter(a -> !a.revoked())
                      .toList();
              try {
                for (Admission a : admitted) {
                  grant(target, moved, a);
                }
              } catch (RuntimeException e) {
                destroyQuietly(target, moved);
                admitted.forEach(a -> removeTokenQuietly(target, a));
                throw e;
              }
              log.warn(
                  "Video room moved from node {} to node {}; {} participant(s) re-admitted",
                  current.nodeId(),
                  target.node().id(),
                  admitted.size());
              return moved;
            })
        .orElseThrow(() -> new VideoUnavailable("This visit's video room was closed."));
  }

  private void create(JanusAdminClient client, VideoRoom room) {
    try {
      client.createRoom(
          new RoomSpec(
              room.janusRoom(),
              "Televisit visit",
              room.secret(),
              room.pin(),
              maxPublishers,
              List.of()));
    } catch (JanusUnreachable e) {
      pool.markUnhealthy(room.nodeId(), e.getMessage());
      throw new VideoUnavailable(
          "Video is unavailable right now: the video server did not answer.");
    }
  }

  /** Token on the node, then into the room's allowed list; undone if the second step fails. */
  private void grant(JanusAdminClient client, VideoRoom room, Admission a) {
    client.addToken(a.janusToken());
    try {
      client.allowed(room.janusRoom(), room.secret(), "add", List.of(a.janusToken()));
    } catch (RuntimeException e) {
      removeTokenQuietly(client, a);
      throw e;
    }
  }

  private void revokeOn(JanusAdminClient client, VideoRoom room, Admission a) {
    try {
      client.kick(room.janusRoom(), room.secret(), a.feedId());
    } catch (JanusException.NoSuchParticipant | JanusException.NoSuchRoom notThere) {
      // not publishing (or the room is gone): nothing to kick
    }
    try {
      client.allowed(room.janusRoom(), room.secret(), "remove", List.of(a.janusToken()));
    } catch (JanusException.NoSuchRoom gone) {
      // the room is gone with its allowed list
    }
    client.removeToken(a.janusToken());
  }

  private void destroyQuietly(JanusAdminClient client, VideoRoom room) {
    try {
      client.destroyRoom(room.janusRoom(), room.secret());
    } catch (RuntimeException e) {
      log.warn("Could not destroy a half-made room on node {}: {}", room.nodeId(), e.getMessage());
    }
  }

  private void removeTokenQuietly(JanusAdminClient client, Admission a) {
    try {
      client.removeToken(a.janusToken());
    } catch (RuntimeException e) {
      log.warn("Could not remove a token on node {}: {}", client.node().id(), e.getMessage());
    }
  }

  private JanusAdminClient placeOrFail() {
    if (pool.isEmpty()) {
      throw new VideoUnavailable("Video unavailable: no Janus node is configured.");
    }
    return pool.place(directory.roomsPerNode())
        .orElseThrow(
            () -> new VideoUnavailable("Video unavailable: no healthy video server has room."));
  }

  private JanusAdminClient clientOf(VideoRoom room) {
    return pool.client(room.nodeId())
        .orElseThrow(
            () -> new VideoUnavailable("The video server of this visit is no longer configured."));
  }

  private JoinData joinData(JanusAdminClient client, VideoRoom room, Admission a) {
    return new JoinData(
        client.node().publicUrl(),
        room.janusRoom(),
        room.pin(),
        a.janusToken(),
        a.feedId(),
        a.opaqueId(),
        a.display(),
        a.role());
  }

  private VideoRoom newRoom(String visitKey, JanusAdminClient node) {
    return new VideoRoom(
        visitKey, node.node().id(), randomId(), randomText(32), randomText(12), clock.instant());
  }

  private long randomId() {
    return 1 + (random.nextLong() & MAX_JS_SAFE) % (MAX_JS_SAFE - 1);
  }

  /**
   * {@code bytes} random bytes, URL-safe: 32 for secrets and tokens, 16 for opaque ids, 12 for
   * pins.
   */
  private String randomText(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
