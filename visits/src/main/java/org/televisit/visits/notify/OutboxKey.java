package org.televisit.visits.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.televisit.ops.SecretFiles;
import org.televisit.video.rooms.SecretSeal;

/**
 * The key that seals outbox payloads and the EHR tokens kept for write-back:
 * televisit.notify.secret-key, else generated once (one node).
 */
@Component
public class OutboxKey {

  private static final Logger log = LoggerFactory.getLogger(OutboxKey.class);
  private final SecretSeal seal;

  public OutboxKey(
      @Value("${televisit.notify.secret-key:}") String configured,
      @Value("${televisit.data-dir:./data}") String dataDir)
      throws IOException {
    if (configured != null && !configured.isBlank()) {
      seal = new SecretSeal(configured);
      return;
    }
    Path file = Path.of(dataDir).resolve("outbox-secret.key").toAbsolutePath();
    boolean existed = Files.exists(file);
    seal = new SecretSeal(SecretFiles.readOrCreateKey(file));
    if (!existed) {
      log.warn(
          "No televisit.notify.secret-key configured: generated one in {} (set TELEVISIT_NOTIFY_SECRET_KEY on every node)",
          file);
    }
  }

  public SecretSeal seal() {
    return seal;
  }
}
