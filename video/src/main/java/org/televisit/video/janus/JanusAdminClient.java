package org.televisit.video.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What Televisit asks of one Janus node. Room requests go through the Admin API's message_plugin
 * (no session or handle needed); tokens through add_token / remove_token; health through the Janus
 * API's info.
 */
public final class JanusAdminClient {

  public static final String VIDEOROOM = "janus.plugin.videoroom";

  private final JanusNode node;
  private final JanusHttp http;

  public JanusAdminClient(JanusNode node, JanusHttp http) {
    this.node = node;
    this.http = http;
  }

  public JanusNode node() {
    return node;
  }

  // ---- health

  /** Janus API info: answers when the node is up. Returns the server name. */
  public String info() {
    JsonNode reply = http.post(node.apiUrl(), http.request("info"), true);
    return reply.path("name").asText("Janus");
  }

  // ---- videoroom requests

  /** Settings of a new room; the id must stay below 2^53 so browsers read it exactly. */
  public record RoomSpec(
      long room,
      String description,
      String secret,
      String pin,
      int publishers,
      List<String> allowed) {}

  public long createRoom(RoomSpec spec) {
    ObjectNode request = roomRequest("create", spec.room(), spec.secret());
    request.put("description", spec.description());
    request.put("pin", spec.pin());
    request.put("is_private", true);
    request.put("publishers", spec.publishers());
    request.put("permanent", false);
    if (node.videoroomAdminKey() != null) {
      request.put("admin_key", node.videoroomAdminKey());
    }
    ArrayNode allowed = request.putArray("allowed");
    spec.allowed().forEach(allowed::add);
    JsonNode data = videoroom(request, false);
    return data.path("room").asLong();
  }

  /** Every room on the node, private ones included (the admin key reveals them). */
  public List<Long> listRooms() {
    ObjectNode request = http.mapper().createObjectNode();
    request.put("request", "list");
    if (node.videoroomAdminKey() != null) {
      request.put("admin_key", node.videoroomAdminKey());
    }
    List<Long> rooms = new ArrayList<>();
    for (JsonNode r : videoroom(request, true).path("list")) {
      rooms.add(r.path("room").asLong());
    }
    return rooms;
  }

  public boolean roomExists(long room) {
    return videoroom(roomRequest("exists", room, null), true).path("exists").asBoolean(false);
  }

  /** Changes the room's allowed-token list (action add or remove). */
  public void allowed(long room, String secret, String action, Collection<String> tokens) {
    ObjectNode request = roomRequest("allowed", room, secret);
    request.put("action", action);
    ArrayNode allowed = request.putArray("allowed");
    tokens.forEach(allowed::add);
    videoroom(request, true);
  }

  public void editPin(long room, String secret, String newPin) {
    ObjectNode request = roomRequest("edit", room, secret);
    request.put("new_pin", newPin);
    videoroom(request, true);
  }

  /** A publisher in the room as Janus lists it. */
  public record RoomParticipant(long id, String display, boolean publisher) {}

  public List<RoomParticipant> listParticipants(long room) {
    List<RoomParticipant> participants = new ArrayList<>();
    for (JsonNode p :
        videoroom(roomRequest("listparticipants", room, null), true).path("participants")) {
      participants.add(
          new RoomParticipant(
              p.path("id").asLong(),
              p.path("display").asText(null),
              p.path("publisher").asBoolean()));
    }
    return participants;
  }

  public void kick(long room, String secret, long participantId) {
    ObjectNode request = roomRequest("kick", room, secret);
    request.put("id", participantId);
    videoroom(request, true);
  }

  public void destroyRoom(long room, String secret) {
    ObjectNode request = roomRequest("destroy", room, secret);
    request.put("permanent", false);
    videoroom(request, true);
  }

  /** A videoroom request about one room, with its secret when the request needs one. */
  private ObjectNode roomRequest(String name, long room, String secret) {
    ObjectNode request = http.mapper().createObjectNode();
    request.put("request", name);
    request.put("room", room);
    if (secret != null) {
      request.put("secret", secret);
    }
    return request;
  }

  private JsonNode videoroom(ObjectNode request, boolean idempotent) {
    ObjectNode body = admin("message_plugin");
    body.put("plugin", VIDEOROOM);
    body.set("request", request);
    return http.post(node.adminUrl(), body, idempotent).path("response");
  }

  // ---- tokens

  public void addToken(String token) {
    ObjectNode body = admin("add_token");
    body.put("token", token);
    body.putArray("plugins").add(VIDEOROOM);
    http.post(node.adminUrl(), body, true);
  }

  public void removeToken(String token) {
    ObjectNode body = admin("remove_token");
    body.put("token", token);
    http.post(node.adminUrl(), body, true);
  }

  public List<String> listTokens() {
    List<String> tokens = new ArrayList<>();
    for (JsonNode t :
        http.post(node.adminUrl(), admin("list_tokens"), true).path("data").path("tokens")) {
      tokens.add(t.path("token").asText());
    }
    return tokens;
  }

  // ---- sessions

  public List<Long> listSessions() {
    List<Long> sessions = new ArrayList<>();
    for (JsonNode s : http.post(node.adminUrl(), admin("list_sessions"), true).path("sessions")) {
      sessions.add(s.asLong());
    }
    return sessions;
  }

  public JsonNode handleInfo(long session, long handle) {
    return http.post(node.adminUrl() + "/" + session + "/" + handle, admin("handle_info"), true)
        .path("info");
  }

  private ObjectNode admin(String janus) {
    ObjectNode body = http.request(janus);
    body.put("admin_secret", node.adminSecret());
    return body;
  }
}
