package org.televisit.video.local;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;

/**
 * A Janus process of Televisit's own, for a first run and for tests: writes a locked-down
 * configuration into a folder (HTTP and Admin API on loopback only, admin_secret, token_auth, only
 * the videoroom plugin and the HTTP transport, videoroom admin_key, the sample event handler
 * posting to Televisit with basic auth) and starts Janus in the foreground of a child process.
 */
public final class LocalJanus implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalJanus.class);

  /** Everything the configuration needs; secrets come from the caller. */
  public record Settings(
      String id,
      Path folder,
      int httpPort,
      int adminPort,
      String adminSecret,
      String videoroomAdminKey,
      int rtpFrom,
      int rtpTo,
      String eventsUrl,
      String eventsUser,
      String eventsPassword,
      int sessionTimeoutSeconds) {

    @Override
    public String toString() {
      return "LocalJanus.Settings[" + id + " http " + httpPort + " admin " + adminPort + "]";
    }
  }

  private final Settings settings;
  private final Process process;

  private LocalJanus(Settings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  /** The Janus binary, when the janus package is installed. */
  public static Optional<Path> binary() {
    for (String candidate : List.of("/usr/bin/janus", "/usr/local/bin/janus")) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Where the Debian package keeps plugins, transports, events and loggers. */
  static Path libraryFolder() {
    try (Stream<Path> arches = Files.list(Path.of("/usr/lib"))) {
      return arches
          .map(arch -> arch.resolve("janus"))
          .filter(p -> Files.exists(p.resolve("plugins/libjanus_videoroom.so")))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("Janus plugins not found under /usr/lib/*/janus"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static LocalJanus start(Settings settings) throws IOException, InterruptedException {
    Path binary =
        binary()
            .orElseThrow(
                () -> new IllegalStateException("janus is not installed (apt-get install janus)"));
    writeConfiguration(settings);
    stopLeftover(settings.folder());
    Path logFile = settings.folder().resolve("janus.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                binary.toString(),
                "-F",
                settings.folder().toString(),
                "-C",
                settings.folder().resolve("janus.jcfg").toString(),
                "-o")
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    Process process = builder.start();
    Files.writeString(settings.folder().resolve("janus.pid"), Long.toString(process.pid()));
    LocalJanus janus = new LocalJanus(settings, process);
    janus.awaitReady(Duration.ofSeconds(10));
    log.info(
        "Local Janus {} started (API on 127.0.0.1:{}, Admin API on 127.0.0.1:{})",
        settings.id(),
        settings.httpPort(),
        settings.adminPort());
    return janus;
  }

  /** A Janus of an earlier run that ended without stopping it (kill -9) would hold on forever. */
  private static void stopLeftover(Path folder) throws IOException {
    Path pidFile = folder.resolve("janus.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid)
          .filter(
              p ->
                  p.info()
                      .commandLine()
                      .map(c -> c.contains("janus") && c.contains(folder.toString()))
                      .orElse(false))
          .ifPresent(
              p -> {
                log.warn("Stopping a Janus left over from an earlier run (pid {})", pid);
                p.destroyForcibly();
              });
    } catch (NumberFormatException e) {
      // not ours to read: ignore
    }
    Files.deleteIfExists(pidFile);
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    JanusHttp http = new JanusHttp(Duration.ofMillis(300), Duration.ofMillis(500), 0);
    try {
      JanusAdminClient client = new JanusAdminClient(node("http://127.0.0.1"), http);
      long deadline = System.nanoTime() + timeout.toNanos();
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Janus exited at start (code "
                  + process.exitValue()
                  + "); see "
                  + settings.folder().resolve("janus.log"));
        }
        try {
          client.info();
          return;
        } catch (RuntimeException e) {
          last = e;
          Thread.sleep(50);
        }
      }
      close();
      throw new IllegalStateException(
          "Janus did not answer within " + timeout + ": " + last.getMessage());
    } finally {
      http.close();
    }
  }

  /**
   * This Janus as a pool node; {@code publicHost} is how browsers reach it (http://127.0.0.1
   * locally).
   */
  public JanusNode node(String publicHost) {
    return node(publicHost, 100);
  }

  public JanusNode node(String publicHost, int capacity) {
    return nodeReachedAt(publicHost + ":" + settings.httpPort() + "/janus", capacity);
  }

  /**
   * This Janus as a pool node that browsers reach at {@code publicUrl} (e.g. a relay on the app's
   * origin).
   */
  public JanusNode nodeReachedAt(String publicUrl, int capacity) {
    return new JanusNode(
        settings.id(),
        apiUrl(),
        "http://127.0.0.1:" + settings.adminPort() + "/admin",
        settings.adminSecret(),
        settings.videoroomAdminKey(),
        publicUrl,
        capacity,
        false);
  }

  /** Where this host reaches its Janus API (loopback). */
  public String apiUrl() {
    return "http://127.0.0.1:" + settings.httpPort() + "/janus";
  }

  public Settings settings() {
    return settings;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops Janus the hard way, as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // ---- configuration

  static void writeConfiguration(Settings s) throws IOException {
    Files.createDirectories(s.folder());
    ownerOnly(s.folder(), "rwx------");
    Path lib = libraryFolder();
    String iface = firstNonLoopbackIpv4Interface().orElse(null);
    writeSecretFile(
        s.folder().resolve("janus.jcfg"),
        """
        general: {
          configs_folder = "%s"
          plugins_folder = "%s"
          transports_folder = "%s"
          events_folder = "%s"
          loggers_folder = "%s"
          log_to_stdout = true
          debug_level = 4
          server_name = "televisit-%s"
          admin_secret = "%s"
          session_timeout = %d
          token_auth = true
          hide_dependencies = true
        }
        media: {
          rtp_port_range = "%d-%d"
        }
        nat: {
          full_trickle = true
          %s
        }
        plugins: {
          disable = "%s"
        }
        transports: {
          disable = "%s"
        }
        events: {
          broadcast = %s
          disable = "%s"
          stats_period = 5
        }
        loggers: {
          disable = "%s"
        }
        """
            .formatted(
                s.folder(),
                lib.resolve("plugins"),
                lib.resolve("transports"),
                lib.resolve("events"),
                lib.resolve("loggers"),
                s.id(),
                s.adminSecret(),
                s.sessionTimeoutSeconds(),
                s.rtpFrom(),
                s.rtpTo(),
                // libnice gathers no candidate on lo: use one real interface so media stays on this
                // host
                iface == null ? "" : "ice_enforce_list = \"" + iface + "\"",
                allBut(lib.resolve("plugins"), "libjanus_videoroom.so"),
                allBut(lib.resolve("transports"), "libjanus_http.so"),
                s.eventsUrl() != null,
                allBut(lib.resolve("events"), s.eventsUrl() != null ? "libjanus_sampleevh.so" : ""),
                allBut(lib.resolve("loggers"), "")));
    writeSecretFile(
        s.folder().resolve("janus.transport.http.jcfg"),
        """
        general: {
          json = "compact"
          base_path = "/janus"
          http = true
          port = %d
          ip = "127.0.0.1"
          https = false
        }
        admin: {
          admin_base_path = "/admin"
          admin_http = true
          admin_port = %d
          admin_ip = "127.0.0.1"
          admin_https = false
        }
        """
            .formatted(s.httpPort(), s.adminPort()));
    writeSecretFile(
        s.folder().resolve("janus.plugin.videoroom.jcfg"),
        """
        general: {
          admin_key = "%s"
          events = true
        }
        """
            .formatted(s.videoroomAdminKey()));
    if (s.eventsUrl() != null) {
      writeSecretFile(
          s.folder().resolve("janus.eventhandler.sampleevh.jcfg"),
          """
          general: {
            enabled = true
            events = "sessions,handles,jsep,webrtc,media,plugins"
            grouping = true
            json = "plain"
            backend = "%s"
            backend_user = "%s"
            backend_pwd = "%s"
            max_retransmissions = 2
            retransmissions_backoff = 100
          }
          """
              .formatted(s.eventsUrl(), s.eventsUser(), s.eventsPassword()));
    }
  }

  /** The config files hold the admin secret and keys: readable by this user only. */
  private static void ownerOnly(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException notPosix) {
      // not a POSIX file system: nothing to tighten
    }
  }

  private static void writeSecretFile(Path file, String content) throws IOException {
    Files.writeString(file, content);
    ownerOnly(file, "rw-------");
  }

  private static String allBut(Path folder, String keep) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".so") && !n.equals(keep))
          .sorted()
          .forEach(names::add);
    }
    return String.join(",", names);
  }

  static Optional<String> firstNonLoopbackIpv4Interface() {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nif.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return Optional.of(nif.getName());
          }
        }
      }
    } catch (SocketException e) {
      log.warn("Cannot list network interfaces: {}", e.getMessage());
    }
    return Optional.empty();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
