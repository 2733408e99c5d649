import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the FHIR store (single-file Java, no dependencies: `java bench/AppointmentLoad.java URL`).
 * 1. Appointment create over HTTP with 1 and 8 concurrent clients (creates/s, p50/p95 latency).
 * 2. Fills the store to 10,000 appointments (transaction bundles), then times
 *    Appointment?patient=X&date=ge... searches (p50/p95/p99).
 * Every loop is bounded by count and time; it talks only to the URL given (a local Televisit).
 * A third argument {@code creates-only} stops after the creates (quicker A/B runs of a change).
 */
public class AppointmentLoad {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  static String base;

  public static void main(String[] args) throws Exception {
    base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
    int createSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;

    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      patients.add(create("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Load" + i + "\"}]}"));
    }
    List<String> practitioners = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      practitioners.add(create("Practitioner", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Doc" + i + "\"}]}"));
    }
    System.out.println("warm-up: 200 creates");
    for (int i = 0; i < 200; i++) {
      create("Appointment", appointment(patients.get(i % 100), practitioners.get(i % 10), i));
    }

    AtomicInteger sequence = new AtomicInteger(1_000);
    for (int clients : new int[] {1, 8}) {
      runCreates(clients, createSeconds, patients, practitioners, sequence);
    }

    if (args.length > 2 && args[2].equals("creates-only")) {
      return;
    }
    int stored = count();
    System.out.printf("appointments stored: %d; filling to 10,000%n", stored);
    while (stored < 10_000) {
      int batch = Math.min(500, 10_000 - stored);
      StringBuilder tx = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
      for (int i = 0; i < batch; i++) {
        int n = sequence.incrementAndGet();
        if (i > 0) tx.append(',');
        tx.append("{\"resource\":").append(appointment(patients.get(n % 100), practitioners.get(n % 10), n))
            .append(",\"request\":{\"method\":\"POST\",\"url\":\"Appointment\"}}");
      }
      tx.append("]}");
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base))
          .header("Content-Type", "application/fhir+json")
          .POST(HttpRequest.BodyPublishers.ofString(tx.toString())));
      if (r.statusCode() != 200) throw new IllegalStateException("batch failed: " + r.statusCode() + " " + r.body());
      stored = count();
    }
    System.out.printf("appointments stored: %d%n", stored);

    // Searches: one patient's visits from a date on, as the console asks for them.
    long[] latencies = new long[1_000];
    for (int i = -100; i < latencies.length; i++) {
      String patient = patients.get(Math.floorMod(i * 37, 100));
      String url = base + "/Appointment?patient=" + patient + "&date=ge2031-01-10&_count=20";
      long t0 = System.nanoTime();
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).header("Cache-Control", "no-cache").GET());
      long dt = System.nanoTime() - t0;
      if (r.statusCode() != 200) throw new IllegalStateException("search failed: " + r.body());
      if (i >= 0) latencies[i] = dt; // first 100 are warm-up
    }
    report("search Appointment?patient&date=ge (10,000 stored)", latencies, latencies.length, 0);
  }

  static void runCreates(int clients, int seconds, List<String> patients, List<String> practitioners,
      AtomicInteger sequence) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        long[] lat = new long[200_000];
        int n = 0;
        while (System.nanoTime() < deadline && n < lat.length) {
          int k = sequence.incrementAndGet();
          long t0 = System.nanoTime();
          create("Appointment", appointment(patients.get(k % 100), practitioners.get(k % 10), k));
          lat[n++] = System.nanoTime() - t0;
        }
        return Arrays.copyOf(lat, n);
      }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) all.add(f.get());
    double elapsed = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
    report("create Appointment, " + clients + " client(s)", merged, merged.length, elapsed);
  }

  static void report(String label, long[] nanos, int n, double elapsedSeconds) {
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    String rate = elapsedSeconds > 0 ? String.format("%7.1f/s", n / elapsedSeconds) : "";
    System.out.printf("%-52s n=%6d %s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms%n", label, n, rate,
        pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99));
  }

  static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  static String appointment(String patient, String practitioner, int n) {
    // Distinct times so that later scheduling rules (no double booking) would accept them all.
    Instant start = Instant.parse("2031-01-01T08:00:00Z").plusSeconds(1200L * n);
    return "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\"" + start
        + "\",\"end\":\"" + start.plusSeconds(1200) + "\",\"participant\":["
        + "{\"actor\":{\"reference\":\"Patient/" + patient + "\"},\"status\":\"accepted\"},"
        + "{\"actor\":{\"reference\":\"Practitioner/" + practitioner + "\"},\"status\":\"accepted\"}]}";
  }

  static String create(String type, String json) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/" + type))
        .header("Content-Type", "application/fhir+json")
        .header("Prefer", "return=minimal")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
    if (r.statusCode() != 201) throw new IllegalStateException(type + " create failed: " + r.statusCode() + " " + r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    String[] parts = location.split("/");
    return parts[parts.length - 3];
  }

  static int count() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/Appointment?_summary=count"))
        .header("Cache-Control", "no-cache").GET());
    Matcher m = Pattern.compile("\"total\":(\\d+)").matcher(r.body());
    if (!m.find()) throw new IllegalStateException(r.body());
    return Integer.parseInt(m.group(1));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(60)).header("Accept", "application/fhir+json").build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
