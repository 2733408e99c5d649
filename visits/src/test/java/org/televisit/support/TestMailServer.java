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
public class TestMailServer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

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

  private static final java.util.regex.Pattern LINK =
      java.util.regex.Pattern.compile("(http://localhost:\\d+/join/[A-Za-z0-9_-]{43})");

  /** Waits for the join-link e-mail to {@code email} and returns the link in it. */
  public static String joinLinkSentTo(String email) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(
            () ->
                java.util.Arrays.stream(received())
                    .anyMatch(
                        m ->
                            com.icegreen.greenmail.util.GreenMailUtil.getHeaders(m)
                                .contains(email)));
    return java.util.Arrays.stream(received())
        .filter(m -> com.icegreen.greenmail.util.GreenMailUtil.getHeaders(m).contains(email))
        .map(TestMailServer::joinLinkIn)
        .findFirst()
        .orElseThrow();
  }

  /** The join link in a message (quoted-printable soft breaks undone). */
  public static String joinLinkIn(MimeMessage message) {
    String body =
        com.icegreen.greenmail.util.GreenMailUtil.getBody(message)
            .replace("=\r\n", "")
            .replace("=3D", "=");
    java.util.regex.Matcher m = LINK.matcher(body);
    if (!m.find()) {
      throw new AssertionError("no join link in the message: " + body);
    }
    return m.group(1);
  }

  public static MimeMessage[] received() {
    return server().getReceivedMessages();
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    server();
    TestPropertyValues.of(
            "spring.mail.host=127.0.0.1",
            "spring.mail.port=" + port,
            "spring.mail.properties.mail.smtp.connectiontimeout=2000",
            "spring.mail.properties.mail.smtp.timeout=3000")
        .applyTo(context.getEnvironment());
  }
}
