import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
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
 * Load driver for the scheduling figures (bench/scheduling.sh):
 *   book  — POST /fhir/Appointment (booked, a practitioner and a patient with an e-mail address) with
 *           8 clients for N seconds after 8 s of the same load (BOOK_WARMUP), no two bookings overlapping; run against Televisit as it is and
 *           against the same jar with its rules switched off
 *   book-ab — the same load against two servers on one database (Televisit, and the same jar with
 *           its rules off), alternating in short rounds (A B B A A B ...) so that the machine's
 *           drift falls on both alike; prints each side's rate and their ratio
 *   links — GET /join/{token} with 8 clients; the tokens are read back from the server's sealed outbox
 *           with its key (the bench owns the data folder)
 *   link-paths — writes those links' paths to a file, one per line, for wrk (bench/join-links.lua)
 */
public class SchedulingBench {

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  static String base;

  public static void main(String[] args) throws Exception {
    base = args[1];
    switch (args[0]) {
      case "book" -> book(Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
      case "book-ab" -> bookAb(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "links" -> links(Path.of(args[2]), Integer.parseInt(args[3]));
      case "link-paths" -> Files.write(Path.of(args[3]), linksFromOutbox(Path.of(args[2])).stream().map(l -> URI.create(l).getPath()).toList());
      case "token" -> System.out.println(token(Path.of(args[2])));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static String token(Path dir) throws Exception {
    RSAKey rsa = RSAKey.parse(Files.readString(dir.resolve("bench-rsa-key.json")));
    URI tokenUrl = URI.create(base + "/oauth/token");
    JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID("bench-backend"),
        new Audience(tokenUrl).toSingleAudienceList(), new Date(System.currentTimeMillis() + 280_000), null, new Date(), new JWTID());
    String body = new TokenRequest(tokenUrl, new PrivateKeyJWT(claims, JWSAlgorithm.RS384, rsa.toRSAPrivateKey(), rsa.getKeyID(), null),
        new ClientCredentialsGrant(), Scope.parse("system/*.cruds")).toHTTPRequest().getBody();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return (String) JSONObjectUtils.parse(r.body()).get("access_token");
  }

  static String create(String token, String type, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/fhir/" + type))
        .header("Content-Type", "application/fhir+json").header("Authorization", "Bearer " + token)
        .header("Prefer", "return=minimal").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException(type + ": " + r.statusCode() + " " + r.body());
    Matcher m = Pattern.compile("/" + type + "/([^/]+)/").matcher(r.headers().firstValue("Location").orElse(""));
    if (!m.find()) throw new IllegalStateException("no id");
    return m.group(1);
  }

  static void book(Path dir, int seconds, String label) throws Exception {
    Side side = new Side(base, dir);
    // Warm-up under the measured load (8 clients, BOOK_WARMUP seconds, default 8): 100 sequential
    // bookings (under a second) left the JIT compiling the path during the measured seconds.
    side.run(Integer.parseInt(System.getenv().getOrDefault("BOOK_WARMUP", "8")), false);
    side.run(seconds, true);
    report("booking, 8 clients, " + label, side.times.stream().mapToLong(Long::longValue).toArray(), side.rate());
  }

  /** One server's side of an interleaved comparison: its token, its clinicians and patients, its counts. */
  static final class Side {
    final String server;
    final Path dir;
    String token;
    long tokenAt;
    final List<String> practitioners = new ArrayList<>();
    final List<String> patients = new ArrayList<>();
    final Instant origin = Instant.parse("2032-01-01T00:00:00Z").plusSeconds((long) (Math.random() * 1e8) * 60);
    final AtomicInteger slot = new AtomicInteger();
    final ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
    long nanos;

    Side(String serverBase, Path dir) throws Exception {
      SchedulingBench.base = serverBase; // create() and token() talk to the static base
      server = serverBase;
      this.dir = dir;
      renewToken();
      for (int i = 0; i < 8; i++) {
        practitioners.add(create(token, "Practitioner", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Bench" + i + "\"}]}"));
        patients.add(create(token, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Load" + i + "\"}],"
            + "\"telecom\":[{\"system\":\"email\",\"value\":\"load" + i + "@example.org\"}]}"));
      }
    }

    /** Access tokens live 300 s: a long comparison asks for a new one between rounds, not during one. */
    private void renewToken() throws Exception {
      SchedulingBench.base = server;
      token = token(dir);
      tokenAt = System.nanoTime();
    }

    void run(int seconds, boolean counted) throws Exception {
      SchedulingBench.base = server;
      if (System.nanoTime() - tokenAt + seconds * 1_000_000_000L > 240_000_000_000L) {
        renewToken();
      }
      long start = System.nanoTime();
      ConcurrentLinkedQueue<Long> these = new ConcurrentLinkedQueue<>();
      load(seconds, these);
      System.out.printf("  %s %s: %d bookings in %.1f s%n", counted ? "round" : "warm-up", server, these.size(), (System.nanoTime() - start) / 1e9);
      if (counted) {
        nanos += System.nanoTime() - start;
        times.addAll(these);
      }
    }

    double rate() {
      return times.size() / (nanos / 1e9);
    }

    /** 8 clients booking for the given seconds, each booking's time added to {@code into}. */
    private void load(int seconds, ConcurrentLinkedQueue<Long> into) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        final int client = t;
        fs.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            book(token, practitioners.get(client), patients.get(client), origin, slot.getAndIncrement());
            into.add(System.nanoTime() - t0);
          }
          return null;
        }));
      }
      try {
        for (Future<?> f : fs) f.get();
      } finally {
        pool.shutdownNow(); // a failed booking ends the run instead of leaving the driver waiting on live threads
      }
    }
  }

  static void bookAb(String televisit, String plain, Path dir, int rounds, int seconds) throws Exception {
    Side a = new Side(televisit, dir);
    Side b = new Side(plain, dir);
    // A fresh server books ~12/s in its first seconds (validator set-up, JIT): two warm-up turns each.
    int warmup = Integer.parseInt(System.getenv().getOrDefault("BOOK_WARMUP", "10"));
    for (int i = 0; i < 2; i++) {
      a.run(warmup, false);
      b.run(warmup, false);
    }
    for (int r = 0; r < rounds; r++) {
      Side first = r % 2 == 0 ? a : b;
      Side second = first == a ? b : a;
      first.run(seconds, true);
      second.run(seconds, true);
    }
    report("booking, 8 clients, Televisit (rules, link, outbox, audit)", a.times.stream().mapToLong(Long::longValue).toArray(), a.rate());
    report("booking, 8 clients, plain FHIR create, Televisit's rules off", b.times.stream().mapToLong(Long::longValue).toArray(), b.rate());
    System.out.printf("ratio %.2f (%d rounds of %d s each, alternating A B B A ...)%n", a.rate() / b.rate(), rounds, seconds);
  }

  /** Each booking its own 20 minutes: no conflicts, so every request does the full work. */
  static void book(String token, String practitioner, String patient, Instant origin, int n) throws Exception {
    Instant s = origin.plusSeconds(1200L * n);
    create(token, "Appointment", "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\"" + s + "\",\"end\":\""
        + s.plusSeconds(1200) + "\",\"participant\":[{\"actor\":{\"reference\":\"Patient/" + patient + "\"},\"status\":\"accepted\"},"
        + "{\"actor\":{\"reference\":\"Practitioner/" + practitioner + "\"},\"status\":\"accepted\"}]}");
  }

  static void links(Path dataDir, int total) throws Exception {
    List<String> links = linksFromOutbox(dataDir);
    System.out.printf("%d join links read from the outbox%n", links.size());
    for (int i = 0; i < 500; i++) check(links.get(i % links.size()), i); // warm-up
    linksLoop(links, total);
  }

  /** The links of the booked visits, read back from the server's sealed outbox with its key. */
  static List<String> linksFromOutbox(Path dataDir) throws Exception {
    String key = Files.readString(dataDir.resolve("outbox-secret.key")).trim();
    org.televisit.video.rooms.SecretSeal seal = new org.televisit.video.rooms.SecretSeal(key);
    List<String> links = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(System.getenv("TELEVISIT_DB_URL"), System.getenv("TELEVISIT_DB_USER"), "");
        ResultSet rs = c.createStatement().executeQuery("SELECT payload FROM televisit.outbox WHERE payload IS NOT NULL")) {
      while (rs.next()) {
        String link = (String) JSONObjectUtils.parse(seal.open(rs.getString(1))).get("link");
        links.add(link);
      }
    }
    return links;
  }

  static void linksLoop(List<String> links, int total) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < 8; t++) {
      fs.add(pool.submit(() -> {
        int n;
        while ((n = next.getAndIncrement()) < total) {
          long t0 = System.nanoTime();
          check(links.get(n % links.size()), n);
          times.add(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> f : fs) f.get();
    pool.shutdown();
    report("join link check (GET /join/{token}), 8 clients", times.stream().mapToLong(Long::longValue).toArray(),
        total / ((System.nanoTime() - start) / 1e9));
  }

  static void check(String link, int n) throws Exception {
    // a different client address per request (through the trusted proxy header): the per-address limit is not what is measured
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(link)).header("X-Forwarded-For", "10.1." + (n / 250 % 250) + "." + (n % 250))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 429) throw new IllegalStateException("join: " + r.statusCode());
  }

  static void report(String label, long[] nanos, double rate) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("%-58s n=%6d %8.1f/s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms%n", label, sorted.length, rate,
        pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99));
  }

  static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
