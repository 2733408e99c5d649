package org.televisit.visits.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The local Janus's API on Televisit's own origin ({@value #PATH}): a browser that reaches
 * Televisit reaches its video too — over HTTPS, on a phone on the LAN, inside an EHR's frame — with
 * no second port, certificate or mixed-content exception. Only the Janus API is relayed (never the
 * Admin API), only session and handle paths, only GET and POST, bodies of at most 256 KB; Janus's
 * token_auth decides who may do what. Asynchronous: a long poll (up to ~30 s) holds no request
 * thread.
 */
@RestController
class LocalJanusRelay implements DisposableBean {

  static final String PATH = "/video/janus";
  private static final Pattern JANUS_PATH = Pattern.compile("(/\\d{1,20}){0,2}");
  private static final int MAX_BODY = 256 * 1024;
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // Janus answers a long poll with a keepalive after ~30 s
  private static final Duration LONG_POLL = Duration.ofSeconds(45);

  private final VideoBackend backend;
  private final OkHttpClient client;

  LocalJanusRelay(VideoBackend backend) {
    this.backend = backend;
    Dispatcher dispatcher = new Dispatcher();
    // one long poll per participant is open at any time: OkHttp's default of 5 per host would queue
    // them
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(512);
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES))
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(LONG_POLL)
            .callTimeout(LONG_POLL.plusSeconds(5))
            .retryOnConnectionFailure(false)
            .build();
  }

  @RequestMapping(
      path = {PATH, PATH + "/**"},
      method = {RequestMethod.GET, RequestMethod.POST})
  DeferredResult<ResponseEntity<byte[]>> relay(HttpServletRequest request) throws IOException {
    DeferredResult<ResponseEntity<byte[]>> result =
        new DeferredResult<>(
            LONG_POLL.plusSeconds(10).toMillis(),
            () -> problem(HttpStatus.GATEWAY_TIMEOUT, "The video server did not answer in time."));
    Optional<String> api = backend.localJanusApi();
    String rest =
        request.getRequestURI().substring(request.getContextPath().length() + PATH.length());
    if (api.isEmpty()) {
      result.setResult(problem(HttpStatus.SERVICE_UNAVAILABLE, backend.unavailableReason()));
      return result;
    }
    if (!JANUS_PATH.matcher(rest).matches()) {
      result.setResult(problem(HttpStatus.NOT_FOUND, "Not a video server address."));
      return result;
    }
    Request.Builder outbound =
        new Request.Builder()
            .url(
                api.get()
                    + rest
                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
    if ("POST".equals(request.getMethod())) {
      byte[] body = readAtMost(request.getInputStream(), MAX_BODY);
      if (body == null) {
        result.setResult(
            problem(HttpStatus.PAYLOAD_TOO_LARGE, "A video server request is at most 256 KB."));
        return result;
      }
      outbound.post(RequestBody.create(body, JSON));
    }
    Call call = client.newCall(outbound.build());
    result.onTimeout(call::cancel);
    result.onError(failure -> call.cancel());
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              result.setResult(
                  ResponseEntity.status(response.code())
                      .header("Content-Type", "application/json")
                      .header("Cache-Control", "no-store")
                      .body(response.body().bytes()));
            } catch (IOException e) {
              onFailure(c, e);
            }
          }

          @Override
          public void onFailure(Call c, IOException e) {
            result.setResult(problem(HttpStatus.BAD_GATEWAY, "The video server did not answer."));
          }
        });
    return result;
  }

  /** The body, or null when it is longer than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max + 1);
    return bytes.length > max ? null : bytes;
  }

  /** Janus's own error shape, so janus.js reports it as it reports Janus's errors. */
  private static ResponseEntity<byte[]> problem(HttpStatus status, String reason) {
    ObjectNode error = MAPPER.createObjectNode().put("janus", "error");
    error.putObject("error").put("code", status.value()).put("reason", reason);
    return ResponseEntity.status(status)
        .header("Content-Type", "application/json")
        .body(error.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void destroy() {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
