package org.televisit.visits.authorization;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.televisit.smart.server.SmartServer;

/** {fhir}/.well-known/smart-configuration and openid-configuration: always JSON, absolute URLs. */
class SmartDiscoveryServlet extends HttpServlet {

  private final transient SmartServer server;

  SmartDiscoveryServlet(SmartServer server) {
    this.server = server;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String body =
        request.getRequestURI().endsWith("/openid-configuration")
            ? server.openidConfiguration()
            : server.smartConfiguration();
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "public, max-age=300");
    response.getWriter().write(body);
  }
}
