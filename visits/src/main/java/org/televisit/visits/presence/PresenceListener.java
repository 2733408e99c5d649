package org.televisit.visits.presence;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Fans presence changes out across app nodes: one connection per node LISTENs on the presence
 * channel (PostgreSQL only) and tells this node's consoles which visit changed. Reconnects after a
 * failure.
 */
@Component
class PresenceListener implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(PresenceListener.class);

  private final DataSource dataSource;
  private final PresenceHub hub;
  private final Presence presence;
  private volatile boolean running = true;
  private Thread thread;

  PresenceListener(DataSource dataSource, PresenceHub hub, Presence presence) {
    this.dataSource = dataSource;
    this.hub = hub;
    this.presence = presence;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (!presence.postgres()) {
      return; // a single H2 node announces changes in-process
    }
    thread = new Thread(this::listen, "presence-listener");
    thread.setDaemon(true);
    thread.start();
  }

  private void listen() {
    while (running) {
      try (Connection c = dataSource.getConnection();
          Statement st = c.createStatement()) {
        st.execute("LISTEN " + Presence.CHANNEL);
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(500);
          if (notes != null) {
            for (PGNotification n : notes) {
              hub.changed(n.getParameter());
            }
          }
        }
      } catch (Exception e) {
        if (running) {
          log.warn("presence listener lost its connection, reconnecting: {}", e.getMessage());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void destroy() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
