package org.televisit.visits.authorization;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.televisit.smart.server.SmartServer;

/** Deletes expired launches, grants and spent client-assertion ids so the tables stay small. */
@Component
class Housekeeping {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

  private final SmartServer server;

  Housekeeping(SmartServer server) {
    this.server = server;
  }

  @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT10M")
  void purge() {
    try {
      int rows = server.purgeExpired();
      if (rows > 0) {
        log.info("authorization server housekeeping: {} expired rows deleted", rows);
      }
    } catch (RuntimeException e) {
      log.warn("authorization server housekeeping failed: {}", e.getMessage());
    }
  }
}
