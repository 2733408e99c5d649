package org.televisit.video.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.televisit.video.local.LocalJanus;

/** Real Janus processes on free ports, each with its own config folder and RTP range. */
public final class JanusProcesses implements AutoCloseable {

  private static int nextRtp = 21000;
  private final List<LocalJanus> running = new ArrayList<>();

  public LocalJanus start(String id, String eventsUrl, String eventsPassword) throws Exception {
    Path folder = Files.createTempDirectory("televisit-janus-" + id);
    int rtp;
    synchronized (JanusProcesses.class) {
      rtp = nextRtp;
      nextRtp += 200;
    }
    LocalJanus janus =
        LocalJanus.start(
            new LocalJanus.Settings(
                id,
                folder,
                LocalJanus.freePort(),
                LocalJanus.freePort(),
                "admin-" + UUID.randomUUID(),
                "key-" + UUID.randomUUID(),
                rtp,
                rtp + 199,
                eventsUrl,
                "janus",
                eventsPassword,
                30));
    running.add(janus);
    return janus;
  }

  @Override
  public void close() {
    running.forEach(LocalJanus::close);
  }
}
