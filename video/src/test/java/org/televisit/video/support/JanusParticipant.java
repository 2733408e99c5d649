package org.televisit.video.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.televisit.video.rooms.JoinData;

/**
 * A participant speaking the Janus API as janus.js would (session, attach, join, long poll), minus
 * the media: enough to prove who Janus lets in.
 */
public final class JanusParticipant implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final OkHttpClient HTTP =
      new OkHttpClient.Builder()
          .readTimeout(Duration.ofSeconds(35))
          .callTimeout(Duration.ofSeconds(40))
          .build();

  private final String apiUrl;
  private final String token;
  private long session;
  private long handle;

  public JanusParticipant(String apiUrl, String token) {
    this.apiUrl = apiUrl;
    this.token = token;
  }

  /**
   * Session + videoroom handle; returns the Janus reply of the failing step, or null on success.
   */
  public JsonNode connect(String opaqueId) throws IOException {
    JsonNode created = post(apiUrl, body("create"));
    if (!"success".equals(created.path("janus").asText())) return created;
    session = created.path("data").path("id").asLong();
    ObjectNode attach = body("attach");
    attach.put("plugin", "janus.plugin.videoroom");
    if (opaqueId != null) attach.put("opaque_id", opaqueId);
    JsonNode attached = post(apiUrl + "/" + session, attach);
    if (!"success".equals(attached.path("janus").asText())) return attached;
    handle = attached.path("data").path("id").asLong();
    return null;
  }

  /** Joins as a publisher; returns the videoroom event data ("joined", or an error_code). */
  public JsonNode join(long room, String pin, long feedId, String display) throws IOException {
    ObjectNode message = body("message");
    ObjectNode join = message.putObject("body");
    join.put("request", "join");
    join.put("ptype", "publisher");
    join.put("room", room);
    if (pin != null) join.put("pin", pin);
    join.put("id", feedId);
    join.put("display", display);
    // the videoroom checks its allowed list against a token in the join request itself
    if (token != null) join.put("token", token);
    String tx = message.path("transaction").asText();
    JsonNode ack = post(apiUrl + "/" + session + "/" + handle, message);
    if ("error".equals(ack.path("janus").asText())) return ack;
    for (int i = 0; i < 5; i++) {
      JsonNode event = poll();
      if (tx.equals(event.path("transaction").asText()) && event.has("plugindata")) {
        return event.path("plugindata").path("data");
      }
    }
    throw new IOException("no answer to join");
  }

  public JsonNode join(JoinData data) throws IOException {
    return join(data.room(), data.pin(), data.feedId(), data.display());
  }

  /** A keep-alive: answers an error once the token is gone. */
  public JsonNode keepalive() throws IOException {
    return post(apiUrl + "/" + session, body("keepalive"));
  }

  JsonNode poll() throws IOException {
    Request request =
        new Request.Builder()
            .url(apiUrl + "/" + session + "?maxev=1" + (token != null ? "&token=" + token : ""))
            .get()
            .build();
    try (Response response = HTTP.newCall(request).execute()) {
      return JSON.readTree(response.body().string());
    }
  }

  ObjectNode body(String janus) {
    ObjectNode body = JSON.createObjectNode();
    body.put("janus", janus);
    body.put("transaction", UUID.randomUUID().toString());
    if (token != null) body.put("token", token);
    return body;
  }

  static JsonNode post(String url, ObjectNode body) throws IOException {
    Request request =
        new Request.Builder()
            .url(url)
            .post(
                RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json")))
            .build();
    try (Response response = HTTP.newCall(request).execute()) {
      return JSON.readTree(response.body().string());
    }
  }

  @Override
  public void close() {
    if (session != 0) {
      try {
        post(apiUrl + "/" + session, body("destroy"));
      } catch (IOException | RuntimeException ignored) {
        // the session may already be gone (revoked token)
      }
    }
  }
}
