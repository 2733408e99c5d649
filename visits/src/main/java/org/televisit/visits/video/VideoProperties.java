package org.televisit.visits.video;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * televisit.video.*: the Janus nodes of this deployment and the local Janus of a first run. Secrets
 * (admin secret, videoroom admin key, the events password) come from configuration or the
 * environment; for the local Janus they are generated at each start and kept in memory.
 */
@ConfigurationProperties("televisit.video")
public record VideoProperties(
    List<Node> nodes,
    @DefaultValue LocalJanusProperties localJanus,
    /**
     * Password Janus's event handler sends (basic auth, user "janus"); required with external
     * nodes.
     */
    String eventsPassword,
    /**
     * 32 bytes, base64: seals room secrets and tokens in the database; the same on every app node.
     */
    String secretKey,
    @DefaultValue("4") int maxPublishers,
    @DefaultValue("5s") Duration healthInterval,
    @DefaultValue("60s") Duration maxHealthBackoff) {

  public VideoProperties {
    nodes = nodes == null ? List.of() : List.copyOf(nodes); // none configured: the local Janus only
  }

  public record Node(
      String id,
      String apiUrl,
      String adminUrl,
      String adminSecret,
      String videoroomAdminKey,
      String publicUrl,
      @DefaultValue("100") int capacity,
      @DefaultValue("false") boolean draining) {}

  /** A Janus process Televisit starts itself (the embedded default; needs the janus package). */
  public record LocalJanusProperties(
      @DefaultValue("false") boolean enabled,
      /** 0 picks free ports at start. */
      @DefaultValue("0") int httpPort,
      @DefaultValue("0") int adminPort,
      @DefaultValue("20000") int rtpFrom,
      @DefaultValue("20999") int rtpTo,
      /**
       * How browsers reach it: empty (the default) through Televisit's own origin
       * (LocalJanusRelay), so it works wherever Televisit does; or a host such as http://127.0.0.1
       * for its own port.
       */
      @DefaultValue("") String publicHost,
      @DefaultValue("100") int capacity) {}
}
