import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the SMART figures (run by bench/smart.sh with the app's class path):
 *   launch  — full EHR launches from the sandbox launcher with C concurrent clinicians: the timed part is
 *             GET /launch -> authorize -> /callback (token exchange + id_token check inside) -> console data
 *   token   — client_credentials with private_key_jwt (ES384), assertions signed before the clock starts
 *   token-bodies — writes N such token requests (form bodies, one per line) for wrk (bench/tokens.lua)
 *   read    — GET /fhir/Patient/{id} latency with a token (or without, when the server does not ask for one)
 * Talks only to the local Televisit given.
 */
public class SmartBench {

  static final Pattern OPTION = Pattern.compile("<option value=\"(Appointment/[^\"]+)\"");
  static final Pattern PRACTITIONER = Pattern.compile("<option value=\"(Practitioner/[^\"]+)\"");
  static final Pattern PATIENT = Pattern.compile("<option value=\"(Patient/[^\"]+)\"");
  static final Pattern FORM_TOKEN = Pattern.compile("name=\"form_token\" value=\"([^\"]+)\"");
  static String base;

  public static void main(String[] args) throws Exception {
    base = args[1];
    switch (args[0]) {
      case "register" -> register(Path.of(args[2]));
      case "launch" -> launches(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "token" -> tokens(Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), args.length > 5 ? args[5] : "ES384");
      case "token-bodies" -> Files.write(Path.of(args[5]), tokenBodies(Path.of(args[2]), Integer.parseInt(args[3]), args[4]));
      case "read" -> reads(args.length > 3 ? args[3] : null, Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Writes fresh ES384 and RS384 keys (private, for the driver) and their public JWKS (for register-client). */
  static void register(Path dir) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("bench-1").algorithm(JWSAlgorithm.ES384).generate();
    com.nimbusds.jose.jwk.RSAKey rsa = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("bench-rsa")
        .algorithm(JWSAlgorithm.RS384).generate();
    Files.writeString(dir.resolve("bench-key.json"), key.toJSONString());
    Files.writeString(dir.resolve("bench-rsa-key.json"), rsa.toJSONString());
    Files.writeString(dir.resolve("bench-jwks.json"), new JWKSet(List.of(key.toPublicJWK(), rsa.toPublicJWK())).toString(true));
  }

  static HttpClient browser() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String first(Pattern p, String html) {
    Matcher m = p.matcher(html);
    if (!m.find()) throw new IllegalStateException("not on the launcher page: " + p);
    return m.group(1);
  }

  static List<String> all(Pattern p, String html) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(html);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** One clinician's launch; returns the timed nanos (launch -> console data) and the launcher POST nanos. */
  static long[] launchOnce(String practitioner, String visitField, String visit) throws Exception {
    HttpClient b = browser();
    String page = get(b, "/sandbox").body();
    String form = "practitioner=" + enc(practitioner) + "&" + visitField + "=" + enc(visit) + "&app=televisit&banner=true&form_token="
        + enc(first(FORM_TOKEN, page));
    long t0 = System.nanoTime();
    HttpResponse<String> launched = b.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/launch"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    long t1 = System.nanoTime();
    String next = launched.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("launcher: " + launched.statusCode()));
    for (int hop = 0; hop < 5; hop++) {
      HttpResponse<String> r = get(b, next);
      if (r.statusCode() != 302) throw new IllegalStateException("hop " + next + " -> " + r.statusCode());
      next = r.headers().firstValue("Location").orElseThrow();
      if (next.endsWith("/console")) break;
    }
    HttpResponse<String> context = get(b, "/api/console/context");
    long t2 = System.nanoTime();
    if (context.statusCode() != 200 || !context.body().contains("\"patient\"")) {
      throw new IllegalStateException("console: " + context.statusCode() + " " + context.body());
    }
    return new long[] {t2 - t1, t1 - t0};
  }

  static void launches(int concurrency, int total) throws Exception {
    String page = get(browser(), "/sandbox").body();
    String practitioner = first(PRACTITIONER, page);
    List<String> visits = all(OPTION, page);
    String field = visits.isEmpty() ? "patient" : "appointment";
    if (visits.isEmpty()) visits = all(PATIENT, page);
    System.out.printf("launches of Televisit from the sandbox EHR, %d visits to pick from (%s)%n", visits.size(), field);
    for (int i = 0; i < 20; i++) launchOnce(practitioner, field, visits.get(i % visits.size())); // warm-up
    for (int c : new int[] {1, concurrency}) {
      ConcurrentLinkedQueue<long[]> times = new ConcurrentLinkedQueue<>();
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(c);
      List<Future<?>> fs = new ArrayList<>();
      final List<String> v = visits;
      long start = System.nanoTime();
      for (int t = 0; t < c; t++) {
        fs.add(pool.submit(() -> {
          int n;
          while ((n = next.getAndIncrement()) < total) {
            times.add(launchOnce(practitioner, field, v.get(n % v.size())));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) f.get();
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      report(String.format("launch->authorize->callback->console, %2d concurrent", c),
          times.stream().mapToLong(x -> x[0]).toArray(), total / seconds);
      report(String.format("  (sandbox launcher POST, %2d concurrent)", c), times.stream().mapToLong(x -> x[1]).toArray(), -1);
    }
  }

  static void tokens(Path dir, int threads, int total, String alg) throws Exception {
    URI tokenUrl = URI.create(base + "/oauth/token");
    // the warm-up is a burst like the measured one: the JIT reaches its steady state under load, not after 200 calls
    int warmUp = 2000;
    System.out.printf("signing %d client assertions (%s) before the clock starts, %d of them for the warm-up%n", total + warmUp, alg, warmUp);
    List<String> bodies = tokenBodies(dir, total + warmUp, alg);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    tokenBurst(http, tokenUrl, bodies.subList(0, warmUp), threads);
    long start = System.nanoTime();
    List<Long> times = tokenBurst(http, tokenUrl, bodies.subList(warmUp, bodies.size()), threads);
    double seconds = (System.nanoTime() - start) / 1e9;
    report(String.format("token endpoint, private_key_jwt %s, %d clients", alg, threads),
        times.stream().mapToLong(Long::longValue).toArray(), total / seconds);
  }

  /** Token request bodies, each with a fresh client assertion (its own jti: every one is single-use). */
  static List<String> tokenBodies(Path dir, int count, String alg) throws Exception {
    ECKey key = ECKey.parse(Files.readString(dir.resolve("bench-key.json")));
    com.nimbusds.jose.jwk.RSAKey rsa = com.nimbusds.jose.jwk.RSAKey.parse(Files.readString(dir.resolve("bench-rsa-key.json")));
    URI tokenUrl = URI.create(base + "/oauth/token");
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID("bench-backend"),
          new Audience(tokenUrl).toSingleAudienceList(), new Date(System.currentTimeMillis() + 280_000), null, new Date(), new JWTID());
      PrivateKeyJWT assertion = "RS384".equals(alg)
          ? new PrivateKeyJWT(claims, JWSAlgorithm.RS384, rsa.toRSAPrivateKey(), rsa.getKeyID(), null)
          : new PrivateKeyJWT(claims, JWSAlgorithm.ES384, key.toECPrivateKey(), key.getKeyID(), null);
      bodies.add(new TokenRequest(tokenUrl, assertion, new ClientCredentialsGrant(), Scope.parse("system/Appointment.rs system/Patient.rs"))
          .toHTTPRequest().getBody());
    }
    return bodies;
  }

  static List<Long> tokenBurst(HttpClient http, URI tokenUrl, List<String> bodies, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(pool.submit(() -> {
        int n;
        while ((n = next.getAndIncrement()) < bodies.size()) {
          long t0 = System.nanoTime();
          tokenOnce(http, tokenUrl, bodies.get(n));
          times.add(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> f : fs) f.get();
    pool.shutdown();
    return new ArrayList<>(times);
  }

  static void tokenOnce(HttpClient http, URI url, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
  }

  /** Patient reads, 1 client; with a token from the token endpoint when a key dir is given. */
  static void reads(String keyDir, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    String token = null;
    if (keyDir != null) {
      ECKey key = ECKey.parse(Files.readString(Path.of(keyDir, "bench-key.json")));
      URI tokenUrl = URI.create(base + "/oauth/token");
      JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID("bench-backend"),
          new Audience(tokenUrl).toSingleAudienceList(), new Date(System.currentTimeMillis() + 280_000), null, new Date(), new JWTID());
      String body = new TokenRequest(tokenUrl, new PrivateKeyJWT(claims, JWSAlgorithm.ES384, key.toECPrivateKey(), key.getKeyID(), null),
          new ClientCredentialsGrant(), Scope.parse("system/Patient.rs")).toHTTPRequest().getBody();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
      if (!m.find()) throw new IllegalStateException("no token: " + r.body());
      token = m.group(1);
    }
    String id = createPatient(http, token);
    long[] times = new long[count];
    for (int i = -500; i < count; i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/" + id)).header("Accept", "application/fhir+json");
      if (token != null) b.header("Authorization", "Bearer " + token);
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
      long t = System.nanoTime() - t0;
      if (r.statusCode() != 200) throw new IllegalStateException("read: " + r.statusCode());
      if (i >= 0) times[i] = t;
    }
    report("Patient read, 1 client, " + (token != null ? "with bearer token" : "no token required"), times, -1);
  }

  static String createPatient(HttpClient http, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/fhir/Patient")).header("Content-Type", "application/fhir+json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    // the read token has Patient.rs only: create with the server's open mode or fall back to an existing patient
    HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Bench\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 201) {
      return r.headers().firstValue("Location").orElseThrow().replaceAll(".*/Patient/([^/]+)/.*", "$1");
    }
    String page = get(browser(), "/sandbox").body();
    return first(PATIENT, page).substring("Patient/".length());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void report(String label, long[] nanos, double rate) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("%-58s n=%6d %s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms%n", label, sorted.length,
        rate > 0 ? String.format("%7.1f/s", rate) : "         ", pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99));
  }

  static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
