package org.televisit.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * What janus.js does with a participant's join data, over Janus's HTTP API, for tests without a
 * browser.
 */
public final class JanusByHand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Session, attach with the opaque id, join the room as a publisher; returns Janus's answer to the
   * join.
   */
  public static JsonNode joinAsPublisher(
      String janusUrl,
      String token,
      String opaqueId,
      long room,
      String pin,
      long feedId,
      String display)
      throws Exception {
    long session = call(janusUrl, body("create", token)).path("data").path("id").asLong();
    ObjectNode attach = body("attach", token);
    attach.put("plugin", "janus.plugin.videoroom");
    attach.put("opaque_id", opaqueId);
    long handle = call(janusUrl + "/" + session, attach).path("data").path("id").asLong();
    ObjectNode message = body("message", token);
    message
        .putObject("body")
        .put("request", "join")
        .put("ptype", "publisher")
        .put("room", room)
        .put("pin", pin)
        .put("id", feedId)
        .put("display", display)
        .put("token", token);
    return call(janusUrl + "/" + session + "/" + handle, message);
  }

  /**
   * Where a page at {@code base} reaches {@code janusUrl} (the local Janus is relayed on the app's
   * origin).
   */
  public static String from(String base, String janusUrl) {
    return URI.create(base + "/").resolve(janusUrl).toString();
  }

  public static ObjectNode body(String janus, String token) {
    ObjectNode body = JSON.createObjectNode();
    body.put("janus", janus).put("transaction", UUID.randomUUID().toString()).put("token", token);
    return body;
  }

  public static JsonNode call(String url, JsonNode body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private JanusByHand() {}
}
