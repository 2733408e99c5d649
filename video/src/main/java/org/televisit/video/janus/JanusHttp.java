package org.televisit.video.janus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * JSON over HTTP to Janus: one pooled OkHttp client with connect, read and call timeouts. Only
 * calls the caller marks idempotent are retried, and only on I/O failure (never after Janus
 * answered).
 */
public final class JanusHttp {

  static final MediaType JSON = MediaType.get("application/json");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final int retries;

  public JanusHttp(Duration connectTimeout, Duration readTimeout, int retries) {
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(connectTimeout.plus(readTimeout))
            .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
            .retryOnConnectionFailure(false)
            .build();
    this.mapper = new ObjectMapper();
    this.retries = retries;
  }

  public static JanusHttp withDefaults() {
    return new JanusHttp(Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  ObjectNode request(String janus) {
    ObjectNode body = mapper.createObjectNode();
    body.put("janus", janus);
    byte[] tx = new byte[8];
    RANDOM.nextBytes(tx);
    body.put("transaction", HexFormat.of().formatHex(tx));
    return body;
  }

  /**
   * POSTs and returns the parsed reply; a Janus-level error is thrown as {@link JanusException}.
   */
  JsonNode post(String url, ObjectNode body, boolean idempotent) {
    int attempts = idempotent ? retries + 1 : 1;
    IOException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        JsonNode reply = postOnce(url, body);
        return checked(reply);
      } catch (IOException e) {
        last = e;
      }
    }
    throw new JanusUnreachable(
        "Janus at " + hostOf(url) + " did not answer: " + last.getMessage(), last);
  }

  private JsonNode postOnce(String url, ObjectNode body) throws IOException {
    Request request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(mapper.writeValueAsBytes(body), JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new JanusUnreachable("Janus at " + hostOf(url) + " answered HTTP " + response.code());
      }
      try {
        JsonNode reply = mapper.readTree(text);
        if (reply == null || !reply.isObject() || !reply.has("janus")) {
          throw new JanusUnreachable(
              "Janus at " + hostOf(url) + " sent a reply that is not Janus JSON");
        }
        return reply;
      } catch (JsonProcessingException e) {
        throw new JanusUnreachable("Janus at " + hostOf(url) + " sent malformed JSON", e);
      }
    }
  }

  /**
   * Janus answers errors with HTTP 200: core errors as janus:error, plugin errors as error_code.
   */
  static JsonNode checked(JsonNode reply) {
    if ("error".equals(reply.path("janus").asText())) {
      JsonNode error = reply.path("error");
      throw JanusException.of(error.path("code").asInt(), error.path("reason").asText());
    }
    JsonNode data = reply.path("plugindata").path("data");
    if (data.has("error_code")) {
      throw JanusException.of(data.path("error_code").asInt(), data.path("error").asText());
    }
    // message_plugin on the Admin API answers {"janus":"success","response":{...}}
    JsonNode response = reply.path("response");
    if (response.has("error_code")) {
      throw JanusException.of(response.path("error_code").asInt(), response.path("error").asText());
    }
    return reply;
  }

  /** Never log a URL's query (it may carry a secret): host and port are enough to find the node. */
  static String hostOf(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    return parsed == null ? "(bad URL)" : parsed.host() + ":" + parsed.port();
  }

  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
