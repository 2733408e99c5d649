import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.File;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The visit figures (bench/visit.sh):
 *   presence — a Janus event (posted as Janus's event handler does) to the console's server-sent event
 *              that shows it, over and over for one visit
 *   media    — in two real chromium browsers: the patient waits and is admitted (publishing), then the
 *              clinician clicks "Start visit"; timed until the clinician's browser receives media
 */
public class VisitBench {

  static String base;

  public static void main(String[] args) throws Exception {
    base = args[1];
    switch (args[0]) {
      case "presence" -> presence(Integer.parseInt(args[2]), args[3]);
      case "media" -> media(Integer.parseInt(args[2]), Path.of(args[3]), tokens(args, 4));
      case "fast-3g" -> fast3g(Integer.parseInt(args[2]), Path.of(args[3]), tokens(args, 4));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /**
   * The system token: args[at], and, when args[at + 1] names bench/SchedulingBench.java and args[at + 2]
   * the work folder, a fresh one from it every 4 minutes (tokens live 300 s; a slow run outlives one).
   */
  static java.util.function.Supplier<String> tokens(String[] args, int at) {
    String[] current = {args[at]};
    long[] since = {System.nanoTime()};
    if (args.length < at + 3) return () -> current[0];
    return () -> {
      if (System.nanoTime() - since[0] > 240_000_000_000L) {
        try {
          Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), args[at + 1], "token", base, args[at + 2])
              .redirectError(ProcessBuilder.Redirect.DISCARD).start();
          List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
          if (p.waitFor() != 0 || lines.isEmpty()) throw new IllegalStateException("no fresh token");
          current[0] = lines.get(lines.size() - 1).trim();
          since[0] = System.nanoTime();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return current[0];
    };
  }

  static HttpClient browser() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String first(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new IllegalStateException("not found: " + regex);
    return m.group(1);
  }

  /** A clinician session launched from the sandbox for one of today's visits (HTTP only). */
  static HttpClient launch() throws Exception {
    HttpClient b = browser();
    String page = get(b, "/sandbox").body();
    String form = "practitioner=" + enc(first("<option value=\"(Practitioner/[^\"]+)\"", page)) + "&appointment="
        + enc(first("<option value=\"(Appointment/[^\"]+)\"", page)) + "&app=televisit&form_token=" + enc(first("name=\"form_token\" value=\"([^\"]+)\"", page));
    HttpResponse<String> r = b.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/launch")).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    String next = r.headers().firstValue("Location").orElseThrow();
    for (int i = 0; i < 5 && !next.endsWith("/console"); i++) {
      next = get(b, next).headers().firstValue("Location").orElseThrow();
    }
    return b;
  }

  static void presence(int rounds, String eventsPassword) throws Exception {
    HttpClient clinician = launch();
    HttpResponse<String> started = clinician.send(HttpRequest.newBuilder(URI.create(base + "/api/console/visit/start"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> join = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(started.body()), "join");
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    clinician.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/console/visit/presence")).GET().build(),
        HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
          public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
          public void onNext(String line) { if (line.startsWith("data:")) lines.add(line); }
          public void onError(Throwable t) {}
          public void onComplete() {}
        }));
    lines.poll(5, TimeUnit.SECONDS); // the first snapshot
    HttpClient janus = HttpClient.newHttpClient();
    String auth = "Basic " + Base64.getEncoder().encodeToString(("janus:" + eventsPassword).getBytes(StandardCharsets.UTF_8));
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < rounds + 20; i++) {
      boolean receiving = i % 2 == 0;
      long micros = Instant.now().toEpochMilli() * 1000 + i;
      String event = "[{\"emitter\":\"bench\",\"type\":32,\"timestamp\":" + micros + ",\"session_id\":1,\"handle_id\":2,\"opaque_id\":\""
          + join.get("opaqueId") + "\",\"event\":{\"media\":\"video\",\"receiving\":" + receiving + "}}]";
      String expected = receiving ? "\"connected\"" : "\"media-lost\"";
      lines.clear();
      long t0 = System.nanoTime();
      HttpResponse<String> r = janus.send(HttpRequest.newBuilder(URI.create(base + "/api/video/janus-events")).header("Authorization", auth)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) throw new IllegalStateException("events: " + r.statusCode());
      while (true) {
        String line = lines.poll(5, TimeUnit.SECONDS);
        if (line == null) throw new IllegalStateException("no presence event within 5 s");
        if (line.contains(expected)) break;
      }
      if (i >= 20) nanos.add(System.nanoTime() - t0);
    }
    report("Janus event -> console SSE (presence), one visit", nanos);
  }

  static WebDriver chromium(Dimension size) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createTempDirectory("televisit-bench-chromium"));
    ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort().build(), options);
    d.manage().window().setSize(size);
    return d;
  }

  static long inbound(WebDriver d) {
    return ((Number) ((JavascriptExecutor) d).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; TelevisitVideo.inboundBytes().then(done).catch(() => done(-1));")).longValue();
  }

  /** Each visit: book one (system token), read the patient's link from the sealed outbox, run it in two browsers. */
  static void media(int visits, Path dataDir, java.util.function.Supplier<String> token) throws Exception {
    org.televisit.video.rooms.SecretSeal seal = new org.televisit.video.rooms.SecretSeal(
        Files.readString(dataDir.resolve("outbox-secret.key")).trim());
    HttpClient http = HttpClient.newHttpClient();
    List<Long> nanos = new ArrayList<>();
    List<Long> bothEnds = new ArrayList<>();
    List<Long> afterAdmit = new ArrayList<>();
    for (int v = 0; v < visits; v++) {
      Booked b = book(http, token.get(), seal, "Bench", "Media", "media" + v);
      String patient = b.patient();
      String link = b.link();
      WebDriver clinician = chromium(new Dimension(1280, 900));
      WebDriver patientBrowser = chromium(new Dimension(390, 844));
      try {
        WebDriverWait wait = launch(clinician, b);
        patientBrowser.get(link);
        wait.until(d -> !d.findElements(By.cssSelector("li[data-state='waiting'] button.admit")).isEmpty());
        clinician.findElement(By.cssSelector("li[data-state='waiting'] button.admit")).click();
        wait.until(d -> !d.findElements(By.cssSelector("li[data-participant='Patient/" + patient + "'][data-state='connected']")).isEmpty());
        Thread.sleep(1500); // the patient's publisher settles
        long t0 = System.nanoTime();
        clinician.findElement(By.id("start")).click();
        long atClinician = 0, atPatient = 0;
        while (atClinician == 0 || atPatient == 0) {
          if (System.nanoTime() - t0 > 20_000_000_000L) throw new IllegalStateException("no media within 20 s");
          if (atClinician == 0 && inbound(clinician) > 0) atClinician = System.nanoTime() - t0;
          if (atPatient == 0 && inbound(patientBrowser) > 0) atPatient = System.nanoTime() - t0;
          Thread.sleep(25);
        }
        nanos.add(atClinician);
        bothEnds.add(Math.max(atClinician, atPatient));
        clinician.findElement(By.id("end")).click();
      } finally {
        clinician.quit();
        patientBrowser.quit();
      }
    }
    // a visit already started when the patient arrives: Admit -> the patient's media at the clinician
    for (int v = 0; v < visits; v++) {
      Booked b = book(http, token.get(), seal, "Late", "Arrives", "late" + v);
      String patient = b.patient();
      String link = b.link();
      WebDriver clinician = chromium(new Dimension(1280, 900));
      WebDriver patientBrowser = chromium(new Dimension(390, 844));
      try {
        WebDriverWait wait = launch(clinician, b);
        clinician.findElement(By.id("start")).click();
        wait.until(d -> d.findElement(By.id("end")).isDisplayed());
        patientBrowser.get(link);
        By admit = By.cssSelector("li[data-participant='Patient/" + patient + "'] button.admit");
        wait.until(d -> !d.findElements(admit).isEmpty());
        new WebDriverWait(patientBrowser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("devices")).getText().contains("work"));
        long t1 = System.nanoTime();
        clinician.findElement(admit).click();
        while (inbound(clinician) <= 0) {
          if (System.nanoTime() - t1 > 20_000_000_000L) throw new IllegalStateException("no media after Admit within 20 s");
          Thread.sleep(25);
        }
        afterAdmit.add(System.nanoTime() - t1);
        clinician.findElement(By.id("end")).click();
      } finally {
        clinician.quit();
        patientBrowser.quit();
      }
    }
    report("'Start visit' click -> inbound media at the clinician (chromium)", nanos);
    report("'Start visit' click (patient admitted) -> remote media at both ends (chromium)", bothEnds);
    report("'Admit' (visit started, the patient just arrived) -> their media at the clinician", afterAdmit);
  }

  /**
   * The patient's link opened on a phone over Chrome's "Fast 3G" (562.5 ms round trips, 1.44 Mbit/s
   * down, 675 kbit/s up; DevTools' preset), each time in a new browser (empty cache): from the
   * navigation's start to the camera preview playing, both on the page's own clock (the waiting page
   * marks data-preview-at), and the bytes that crossed the network for it (navigation and resources).
   */
  static void fast3g(int rounds, Path dataDir, java.util.function.Supplier<String> token) throws Exception {
    org.televisit.video.rooms.SecretSeal seal = new org.televisit.video.rooms.SecretSeal(
        Files.readString(dataDir.resolve("outbox-secret.key")).trim());
    HttpClient http = HttpClient.newHttpClient();
    List<Long> nanos = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      Booked b = book(http, token.get(), seal, "Slow", "Network", "slow" + r);
      ChromeDriver phone = (ChromeDriver) chromium(new Dimension(390, 844));
      try {
        phone.executeCdpCommand("Network.enable", Map.of());
        phone.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        phone.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 562.5,
            "downloadThroughput", 1_440_000 / 8, "uploadThroughput", 675_000 / 8));
        phone.get(b.link());
        new WebDriverWait(phone, Duration.ofSeconds(30)).until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-preview-at") != null);
        long previewAt = Long.parseLong(phone.findElement(By.tagName("body")).getDomAttribute("data-preview-at"));
        nanos.add(previewAt * 1_000_000L);
        Number transferred = (Number) phone.executeScript("return performance.getEntriesByType('navigation')"
            + ".concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0);");
        bytes.add(transferred.longValue());
      } finally {
        phone.quit();
      }
    }
    report("Link opened -> camera preview, Fast 3G, empty cache (phone)", nanos);
    long[] sorted = bytes.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("%-62s n=%4d min %,d B  max %,d B%n", "Bytes over the network for that page", sorted.length, sorted[0],
        sorted[sorted.length - 1]);
  }

  record Booked(String practitioner, String patient, String appointment, String link) {}

  /** A practitioner, a patient with an e-mail address, their visit in two minutes, and the patient's link. */
  static Booked book(HttpClient http, String token, org.televisit.video.rooms.SecretSeal seal, String doctor, String family,
      String mailbox) throws Exception {
    String practitioner = create(http, token, "Practitioner", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\""
        + doctor + "\",\"given\":[\"Dr\"]}]}");
    String patient = create(http, token, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],"
        + "\"telecom\":[{\"system\":\"email\",\"value\":\"" + mailbox + "@example.org\"}]}");
    Instant start = Instant.now().plusSeconds(120);
    String appointment = create(http, token, "Appointment", "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\"" + start
        + "\",\"end\":\"" + start.plusSeconds(1200) + "\",\"participant\":[{\"actor\":{\"reference\":\"Patient/" + patient
        + "\"},\"status\":\"accepted\"},{\"actor\":{\"reference\":\"Practitioner/" + practitioner + "\"},\"status\":\"accepted\"}]}");
    return new Booked(practitioner, patient, appointment, linkOf(appointment, seal));
  }

  /** The clinician launches Televisit for the visit from the sandbox EHR; returns a wait on the console. */
  static WebDriverWait launch(WebDriver clinician, Booked b) {
    clinician.get(base + "/sandbox");
    new Select(clinician.findElement(By.id("practitioner"))).selectByValue("Practitioner/" + b.practitioner());
    new Select(clinician.findElement(By.id("appointment"))).selectByValue("Appointment/" + b.appointment());
    new Select(clinician.findElement(By.id("app"))).selectByValue("televisit");
    clinician.findElement(By.id("launch")).click();
    WebDriverWait wait = new WebDriverWait(clinician, Duration.ofSeconds(30));
    wait.until(d -> d.getCurrentUrl().endsWith("/console"));
    return wait;
  }

  /** The patient's link, read from the sealed outbox row of the booking. */
  static String linkOf(String appointment, org.televisit.video.rooms.SecretSeal seal) throws Exception {
    try (Connection c = DriverManager.getConnection(System.getenv("TELEVISIT_DB_URL"), System.getenv("TELEVISIT_DB_USER"), "");
        var st = c.prepareStatement("SELECT payload FROM televisit.outbox WHERE appointment = ?")) {
      st.setString(1, "Appointment/" + appointment);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? (String) JSONObjectUtils.parse(seal.open(rs.getString(1))).get("link") : null;
      }
    }
  }

  static String create(HttpClient http, String token, String type, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/fhir/" + type)).header("Content-Type", "application/fhir+json")
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException(type + ": " + r.statusCode() + " " + r.body());
    return first("/" + type + "/([^/]+)/", r.headers().firstValue("Location").orElseThrow());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void report(String label, List<Long> nanos) {
    long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("%-62s n=%4d p50 %8.1f ms  p95 %8.1f ms  p99 %8.1f ms  max %8.1f ms%n", label, s.length,
        pct(s, .5), pct(s, .95), pct(s, .99), s[s.length - 1] / 1e6);
  }

  static double pct(long[] s, double p) {
    return s[Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1)] / 1e6;
  }
}
