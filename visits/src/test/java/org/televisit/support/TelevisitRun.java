package org.televisit.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Televisit as a new user starts it: `./televisit run` from the repository, nothing but a port and
 * a data folder of its own (embedded H2, the sandbox clinic, a local Janus). Its whole console
 * output is kept in a file, so a test can fail on any ERROR line.
 */
public final class TelevisitRun implements AutoCloseable {

  private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s.*");

  private static final Pattern HTTPS_AT =
      Pattern.compile(".*serving HTTPS at (https://\\S+?)/? .*");

  private final Process process;
  private final Path log;
  private final Path data;
  private final int port;
  private final boolean https;
  private volatile String base;
  private volatile HttpClient http;

  private TelevisitRun(Process process, Path log, Path data, int port, boolean https) {
    this.process = process;
    this.log = log;
    this.data = data;
    this.port = port;
    this.https = https;
  }

  /** Starts `./televisit run` and waits until it is ready (the readiness probe answers UP). */
  public static TelevisitRun start(Duration timeout, String... options) throws Exception {
    return start(timeout, java.util.Map.of(), options);
  }

  /** ... with {@code env} added to a first run's environment (e.g. TELEVISIT_JAVA_OPTS). */
  public static TelevisitRun start(
      Duration timeout, java.util.Map<String, String> env, String... options) throws Exception {
    Path repo = repository();
    Path data = Files.createTempDirectory("televisit-run");
    int port = FreePort.pick();
    // one log per kind of run (the ITs each start one): televisit-run.log, televisit-run--lan.log,
    // ...
    Path log =
        Path.of(
                "target",
                "televisit-run"
                    + String.join(
                        "",
                        List.of(options).stream()
                            .filter(o -> o.equals("--https") || o.equals("--lan"))
                            .toList())
                    + (env.isEmpty() ? "" : "-env")
                    + ".log")
            .toAbsolutePath();
    Files.createDirectories(log.getParent());
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                repo.resolve("televisit").toString(),
                "run",
                "--server.port=" + port,
                "--televisit.data-dir=" + data));
    command.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // what a first run on a fresh machine has: none of the test suite's database settings
    builder.environment().keySet().removeIf(k -> k.startsWith("TELEVISIT_"));
    builder.environment().putAll(env);
    boolean https = List.of(options).contains("--https") || List.of(options).contains("--lan");
    TelevisitRun run = new TelevisitRun(builder.start(), log, data, port, https);
    run.awaitReady(timeout);
    return run;
  }

  /**
   * Where users reach it: http://localhost:port, or the HTTPS address the run announced (--https,
   * --lan).
   */
  public String base() {
    return base != null ? base : "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** An HTTP client that trusts the run's own generated certificate, and nothing else. */
  public HttpClient http() {
    return http;
  }

  /** Its certificate as PEM (the --https and --lan runs make one in their data folder). */
  public Path certificate() {
    return data.resolve("tls/cert.pem");
  }

  public Path log() {
    return log;
  }

  /** The JVM's own command line (Linux): what `./televisit run` really started. */
  public String commandLine() throws IOException {
    return new String(
            Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")),
            StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }

  /** The lines Televisit logged at ERROR level so far. */
  public List<String> errorLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> ERROR_LINE.matcher(l).matches())
        .toList();
  }

  private void awaitReady(Duration timeout) throws Exception {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "./televisit run ended (exit " + process.exitValue() + "); see " + log);
      }
      if (https && base == null) {
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .map(HTTPS_AT::matcher)
            .filter(java.util.regex.Matcher::matches)
            .findFirst()
            .ifPresent(m -> base = m.group(1));
        if (base == null || !Files.exists(certificate())) {
          Thread.sleep(200);
          continue;
        }
        http =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(trusting(certificate()))
                .build();
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("UP")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    close();
    throw new IllegalStateException(
        "./televisit run was not ready within " + timeout + "; see " + log);
  }

  private static javax.net.ssl.SSLContext trusting(Path pem) throws Exception {
    java.security.KeyStore store =
        java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = Files.newInputStream(pem)) {
      store.setCertificateEntry(
          "televisit",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** SIGTERM (a graceful shutdown that also stops its Janus), then SIGKILL if it hangs. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("televisit"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "the televisit script was not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
