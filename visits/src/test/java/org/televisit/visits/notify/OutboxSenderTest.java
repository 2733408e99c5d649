package org.televisit.visits.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

/** Which SMTP failures end an e-mail's retries (no Spring, no mail server). */
class OutboxSenderTest {

  @Test
  void anAddressTheServerRejectsIsFinal() throws Exception {
    SendFailedException rejected =
        new SendFailedException(
            "550 5.1.1 no such user",
            null,
            new Address[0],
            new Address[0],
            new Address[] {new InternetAddress("nobody@example.org")});
    assertThat(OutboxSender.recipientRefused(new MailSendException(Map.of(new Object(), rejected))))
        .isTrue();
    assertThat(
            OutboxSender.recipientRefused(
                new MailSendException("send failed", new MessagingException("wrapped", rejected))))
        .isTrue();
  }

  @Test
  void aServerThatIsDownOrBusyIsRetried() throws Exception {
    assertThat(
            OutboxSender.recipientRefused(
                new MailSendException(
                    "Mail server connection failed", new MessagingException("Connection refused"))))
        .isFalse();
    SendFailedException later =
        new SendFailedException(
            "451 try again later",
            null,
            new Address[0],
            new Address[] {new InternetAddress("someone@example.org")},
            new Address[0]);
    assertThat(OutboxSender.recipientRefused(new MailSendException(Map.of(new Object(), later))))
        .isFalse();
  }
}
