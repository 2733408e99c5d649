package org.televisit.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cookie-keeping HTTP client that does not follow redirects, so each hop of a launch can be
 * checked.
 */
public final class Browser {

  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final String clientAddress;

  public Browser(String base) {
    this(base, null);
  }

  /**
   * A browser seen as coming from {@code clientAddress} (through Televisit's trusted proxy header).
   */
  public Browser(String base, String clientAddress) {
    this.base = base;
    this.clientAddress = clientAddress;
  }

  private HttpRequest.Builder request(String pathOrUrl) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(pathOrUrl)).timeout(Duration.ofSeconds(30));
    if (clientAddress != null) {
      b.header("X-Forwarded-For", clientAddress);
    }
    return b;
  }

  public HttpResponse<String> get(String pathOrUrl) throws Exception {
    return http.send(request(pathOrUrl).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> postForm(String pathOrUrl, Map<String, String> form)
      throws Exception {
    return http.send(
        request(pathOrUrl)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * GET, then follow redirects on this server only, until a response that is not a redirect to it.
   */
  public HttpResponse<String> follow(String pathOrUrl) throws Exception {
    HttpResponse<String> response = get(pathOrUrl);
    for (int hops = 0; hops < 10 && response.statusCode() == 302; hops++) {
      String location = location(response);
      if (location.startsWith("http") && !location.startsWith(base)) {
        return response;
      }
      response = get(location);
    }
    return response;
  }

  /** Any request, with this browser's cookies and client address. */
  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    if (clientAddress != null) {
      request.header("X-Forwarded-For", clientAddress);
    }
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A streaming request (server-sent events): every line goes to {@code lines} until cancelled. */
  public java.util.concurrent.CompletableFuture<HttpResponse<Void>> sendAsync(
      HttpRequest.Builder request, java.util.function.Consumer<String> lines) {
    if (clientAddress != null) {
      request.header("X-Forwarded-For", clientAddress);
    }
    return http.sendAsync(
        request.GET().build(),
        HttpResponse.BodyHandlers.fromLineSubscriber(
            new java.util.concurrent.Flow.Subscriber<String>() {
              @Override
              public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(String line) {
                lines.accept(line);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            }));
  }

  public static String location(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Location")
        .orElseThrow(() -> new AssertionError("no Location header"));
  }

  /** The form token of a page's form. */
  public static String formToken(String html) {
    Matcher m = Pattern.compile("name=\"form_token\" value=\"([^\"]+)\"").matcher(html);
    if (!m.find()) {
      throw new AssertionError("no form token on the page");
    }
    return m.group(1);
  }

  public static String form(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private URI url(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
  }
}
