package org.televisit.visits.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.televisit.ops.SecretFiles;
import org.televisit.video.janus.JanusHttp;
import org.televisit.video.janus.JanusNode;
import org.televisit.video.local.LocalJanus;
import org.televisit.video.rooms.NodePool;
import org.televisit.video.rooms.RoomDirectory;
import org.televisit.video.rooms.SecretSeal;
import org.televisit.video.rooms.VideoRooms;

/**
 * Brings video up once the web server knows its port (the local Janus posts its events back to it):
 * starts the local Janus when asked, builds the node pool and starts its health checks. Until then,
 * or with no node at all, video is unavailable and says so.
 */
@Component
public class VideoBackend implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(VideoBackend.class);
  public static final String EVENTS_PATH = "/api/video/janus-events";

  private final VideoProperties properties;
  private final DataSource dataSource;
  private final Path dataDir;
  private final JanusHttp http = JanusHttp.withDefaults();
  private volatile LocalJanus localJanus;
  private volatile NodePool pool;
  private volatile VideoRooms rooms;
  private volatile String eventsPassword;
  private volatile String unavailableReason = "Video unavailable: starting.";

  private final ObjectProvider<LocalJanusEventsPort> eventsPort;

  public VideoBackend(
      VideoProperties properties,
      DataSource dataSource,
      @Value("${televisit.data-dir:./data}") String dataDir,
      ObjectProvider<LocalJanusEventsPort> eventsPort) {
    this.eventsPort = eventsPort;
    this.properties = properties;
    this.dataSource = dataSource;
    this.dataDir = Path.of(dataDir);
    this.eventsPassword = properties.eventsPassword();
  }

  @EventListener
  public synchronized void onWebServerReady(WebServerInitializedEvent event) {
    if (pool != null || !"server".equals(namespaceOf(event))) {
      return;
    }
    List<JanusNode> nodes = new ArrayList<>();
    for (VideoProperties.Node n : properties.nodes()) {
      nodes.add(
          new JanusNode(
              n.id(),
              n.apiUrl(),
              n.adminUrl(),
              n.adminSecret(),
              n.videoroomAdminKey(),
              n.publicUrl(),
              n.capacity(),
              n.draining()));
    }
    if (properties.localJanus().enabled()) {
      // over HTTPS the events come in on a loopback HTTP port of their own (LocalJanusEventsPort)
      LocalJanusEventsPort port = eventsPort.getIfAvailable();
      int events =
          port == null
              ? event.getWebServer().getPort()
              : port.port(event).orElse(event.getWebServer().getPort());
      startLocalJanus(events).ifPresent(nodes::add);
    }
    if (nodes.isEmpty()) {
      unavailableReason =
          properties.localJanus().enabled()
              ? "Video unavailable: the local Janus could not start (is the janus package installed?)."
              : "Video unavailable: no Janus node is configured (televisit.video.nodes).";
      log.warn(unavailableReason);
      return;
    }
    pool =
        new NodePool(
            nodes,
            http,
            properties.healthInterval(),
            properties.maxHealthBackoff(),
            Clock.systemUTC());
    pool.start();
    rooms =
        new VideoRooms(
            pool,
            new RoomDirectory(dataSource, secretSeal()),
            Clock.systemUTC(),
            properties.maxPublishers());
    log.info("Video ready on {} Janus node(s)", nodes.size());
  }

  private static String namespaceOf(WebServerInitializedEvent event) {
    String ns = event.getApplicationContext().getServerNamespace();
    return ns == null ? "server" : ns;
  }

  private Optional<JanusNode> startLocalJanus(int appPort) {
    if (LocalJanus.binary().isEmpty()) {
      log.warn("The janus package is not installed: video is unavailable (apt-get install janus)");
      return Optional.empty();
    }
    try {
      VideoProperties.LocalJanusProperties local = properties.localJanus();
      if (eventsPassword == null || eventsPassword.isBlank()) {
        eventsPassword = secret();
      }
      localJanus =
          LocalJanus.start(
              new LocalJanus.Settings(
                  "local",
                  dataDir.resolve("janus").toAbsolutePath(),
                  local.httpPort() == 0 ? LocalJanus.freePort() : local.httpPort(),
                  local.adminPort() == 0 ? LocalJanus.freePort() : local.adminPort(),
                  secret(),
                  secret(),
                  local.rtpFrom(),
                  local.rtpTo(),
                  "http://127.0.0.1:" + appPort + EVENTS_PATH,
                  "janus",
                  eventsPassword,
                  60));
      return Optional.of(
          local.publicHost() == null || local.publicHost().isBlank()
              ? localJanus.nodeReachedAt(LocalJanusRelay.PATH, local.capacity())
              : localJanus.node(local.publicHost(), local.capacity()));
    } catch (Exception e) {
      log.warn("The local Janus did not start: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The key that seals room secrets and tokens at rest: televisit.video.secret-key (every app node
   * must share it), else one generated once into the data folder for a single-node run.
   */
  private SecretSeal secretSeal() {
    if (properties.secretKey() != null && !properties.secretKey().isBlank()) {
      return new SecretSeal(properties.secretKey());
    }
    Path file = dataDir.resolve("video-secret.key").toAbsolutePath();
    try {
      boolean existed = Files.exists(file);
      String key = SecretFiles.readOrCreateKey(file);
      if (!existed) {
        log.warn(
            "No televisit.video.secret-key configured: generated one in {} (fine for one node; "
                + "set TELEVISIT_VIDEO_SECRET_KEY on every node of a cluster)",
            file);
      }
      return new SecretSeal(key);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read or create the video secret key at " + file, e);
    }
  }

  public Optional<VideoRooms> rooms() {
    return Optional.ofNullable(rooms);
  }

  public Optional<NodePool> pool() {
    return Optional.ofNullable(pool);
  }

  /** The local Janus's API, while it runs (what {@link LocalJanusRelay} relays to). */
  Optional<String> localJanusApi() {
    LocalJanus janus = localJanus;
    return janus == null || !janus.isAlive() ? Optional.empty() : Optional.of(janus.apiUrl());
  }

  public String unavailableReason() {
    return unavailableReason;
  }

  /** The password Janus's event handler must present; empty when none is set (events refused). */
  public Optional<String> eventsPassword() {
    return Optional.ofNullable(eventsPassword).filter(p -> !p.isBlank());
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void destroy() {
    if (pool != null) {
      pool.close();
    }
    if (localJanus != null) {
      localJanus.close();
      log.info("Local Janus stopped");
    }
    http.close();
  }
}
