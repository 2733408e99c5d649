package org.televisit.visits.visit;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every minute: booked visits whose patient never arrived within televisit.visit.no-show-after
 * become no-shows.
 */
@Component
class NoShows {

  private static final Logger log = LoggerFactory.getLogger(NoShows.class);

  private final VisitWorkflow workflow;
  private final Duration after;

  NoShows(VisitWorkflow workflow, @Value("${televisit.visit.no-show-after:PT15M}") Duration after) {
    this.workflow = workflow;
    this.after = after;
  }

  @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
  void sweep() {
    try {
      int marked = workflow.markNoShows(after);
      if (marked > 0) {
        log.info("{} visit(s) marked no-show", marked);
      }
    } catch (RuntimeException e) {
      log.warn("no-show sweep failed: {}", e.getMessage());
    }
  }
}
