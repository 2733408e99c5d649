package org.televisit.video.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.televisit.video.events.JanusEvents;
import org.televisit.video.events.VideoEvent;

/**
 * Receives Janus's event handler POSTs on loopback (basic auth checked) and keeps the parsed
 * events.
 */
public final class EventSink implements AutoCloseable {

  private final HttpServer server;
  private final List<VideoEvent> events = new CopyOnWriteArrayList<>();
  private final JanusEvents parser = new JanusEvents();
  public final String password = "events-" + System.nanoTime();

  public EventSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expected =
        "Basic " + Base64.getEncoder().encodeToString(("janus:" + password).getBytes());
    server.createContext(
        "/events",
        exchange -> {
          boolean authorised =
              expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = exchange.getRequestBody().readAllBytes();
          if (authorised) {
            events.addAll(parser.parse(body));
          }
          exchange.sendResponseHeaders(authorised ? 200 : 401, -1);
          exchange.close();
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
  }

  public List<VideoEvent> events() {
    return events;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
