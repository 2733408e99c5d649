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
 * Televisit as a new user starts it: `./televisit run` from the repository, nothing but a port and a
 * data folder of its own (embedded H2, the sandbox clinic, a local Janus). Its whole console output is
 * kept in a file, so a test can fail on any ERROR line.
 */
public final class TelevisitRun implements AutoCloseable {

  private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s.*");

  private final Process process;
  private final Path log;
  private final int port;

  private TelevisitRun(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts `./televisit run` and waits until it is ready (the readiness probe answers UP). */
  public static TelevisitRun start(Duration timeout, String... options) throws Exception {
    Path repo = repository();
    Path data = Files.createTempDirectory("televisit-run");
    int port = FreePort.pick();
    Path log = Path.of("target", "televisit-run.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("televisit").toString(), "run",
        "--server.port=" + port, "--televisit.data-dir=" + data));
    command.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // what a first run on a fresh machine has: none of the test suite's database settings
    builder.environment().keySet().removeIf(k -> k.startsWith("TELEVISIT_"));
    TelevisitRun run = new TelevisitRun(builder.start(), log, port);
    run.awaitReady(timeout);
    return run;
  }

  public String base() {
    return "http://localhost:" + port;
  }

  public Path log() {
    return log;
  }

  /** The JVM's own command line (Linux): what `./televisit run` really started. */
  public String commandLine() throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")), StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }

  /** The lines Televisit logged at ERROR level so far. */
  public List<String> errorLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> ERROR_LINE.matcher(l).matches()).toList();
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("./televisit run ended (exit " + process.exitValue() + "); see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("UP")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    close();
    throw new IllegalStateException("./televisit run was not ready within " + timeout + "; see " + log);
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
      throw new IllegalStateException("the televisit script was not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
