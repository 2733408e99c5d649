package org.televisit.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real SMTP server in-process (GreenMail) for the shared test context, on a fixed port so a test
 * can stop it (SMTP down) and start it again (SMTP back) under the same address.
 */
public class TestMailServer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static GreenMail server;
  private static int port;

  public static synchronized GreenMail server() {
    if (server == null) {
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop()));
    }
    return server;
  }

  public static synchronized void stop() {
    server().stop();
  }

  public static synchronized void start() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
  }

  public static MimeMessage[] received() {
    return server().getReceivedMessages();
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    server();
    TestPropertyValues.of("spring.mail.host=127.0.0.1", "spring.mail.port=" + port,
            "spring.mail.properties.mail.smtp.connectiontimeout=2000", "spring.mail.properties.mail.smtp.timeout=3000")
        .applyTo(context.getEnvironment());
  }
}
