package org.televisit.support;

import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Picks the test server's port before the context starts: the authorization server's issuer and the
 * redirect URIs are fixed addresses (televisit.public-url follows server.port), so a port chosen
 * only once the server runs would be too late.
 */
public class FreePort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of("server.port=" + pick()).applyTo(context.getEnvironment());
  }

  /** A port nothing listens on right now. */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
