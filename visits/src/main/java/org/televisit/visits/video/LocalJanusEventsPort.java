package org.televisit.visits.video;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where the local Janus posts its events when Televisit serves HTTPS itself: Janus's event handler
 * (libcurl) cannot be told to trust a self-signed certificate, so a plain HTTP connector on
 * loopback, on a port of its own, takes the events — and nothing else (every other path there is
 * 404).
 */
@Component
@ConditionalOnProperty(name = "televisit.video.local-janus.enabled", havingValue = "true")
class LocalJanusEventsPort extends OncePerRequestFilter
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private volatile Connector connector;

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    if (factory.getSsl() == null || !factory.getSsl().isEnabled()) {
      return; // plain HTTP: Janus posts to the main port
    }
    Connector loopback = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
    loopback.setPort(0);
    loopback.setProperty("address", "127.0.0.1");
    factory.addAdditionalTomcatConnectors(loopback);
    connector = loopback;
  }

  /** The events URL's scheme and port for the local Janus, once the server runs. */
  Optional<Integer> port(WebServerInitializedEvent event) {
    Connector loopback = connector;
    return loopback != null && event.getWebServer() instanceof TomcatWebServer
        ? Optional.of(loopback.getLocalPort())
        : Optional.empty();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Connector loopback = connector;
    if (loopback != null
        && request.getLocalPort() == loopback.getLocalPort()
        && !request.getRequestURI().equals(VideoBackend.EVENTS_PATH)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    chain.doFilter(request, response);
  }
}
