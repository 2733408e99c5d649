package org.televisit.visits.notify;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What waits in the outbox, per channel, for the hospital's monitoring (/actuator/prometheus):
 * televisit_outbox_waiting (messages not yet delivered) and televisit_outbox_oldest_waiting_seconds
 * (an e-mail server or an EHR that has been failing for a while shows as a growing age) and
 * televisit_outbox_given_up (messages no retry can deliver; last_error in the table says why).
 */
@Component
class OutboxMetrics {

  OutboxMetrics(MeterRegistry registry, JdbcTemplate jdbc, List<OutboxChannel> others) {
    List<String> channels = new ArrayList<>(List.of("email"));
    others.forEach(c -> channels.add(c.name()));
    for (String channel : channels) {
      Gauge.builder(
              "televisit.outbox.waiting",
              () ->
                  jdbc.queryForObject(
                      "SELECT count(*) FROM televisit.outbox WHERE "
                          + Outbox.WAITING
                          + " AND channel = ?",
                      Long.class,
                      channel))
          .tag("channel", channel)
          .description("outbox messages not yet delivered")
          .register(registry);
      Gauge.builder(
              "televisit.outbox.oldest.waiting",
              () -> {
                Timestamp oldest =
                    jdbc.queryForObject(
                        "SELECT min(created_at) FROM televisit.outbox WHERE "
                            + Outbox.WAITING
                            + " AND channel = ?",
                        Timestamp.class,
                        channel);
                return oldest == null
                    ? 0
                    : Duration.between(oldest.toInstant(), Instant.now()).toSeconds();
              })
          .tag("channel", channel)
          .baseUnit("seconds")
          .description("age of the oldest undelivered outbox message")
          .register(registry);
      Gauge.builder(
              "televisit.outbox.given.up",
              () ->
                  jdbc.queryForObject(
                      "SELECT count(*) FROM televisit.outbox WHERE given_up_at IS NOT NULL AND channel = ?",
                      Long.class,
                      channel))
          .tag("channel", channel)
          .description("outbox messages that can never be delivered (last_error says why)")
          .register(registry);
    }
  }
}
