package org.televisit.visits.notify;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.HtmlUtils;
import org.televisit.visits.audit.VisitAudit;

/**
 * Sends what the outbox holds: join links by e-mail (HTML and plain text, over SMTP with Spring
 * Mail), and the messages of every other {@link OutboxChannel} (the EHR write-back). A send that
 * fails is retried with exponential back-off and never dropped; once sent, the message's payload is
 * wiped and a FHIR Communication (recipient, about the Appointment, no secret) and an AuditEvent
 * record it. Without SMTP settings (spring.mail.host) nothing is sent and messages wait.
 */
@Component
class OutboxSender {

  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);

  private final Outbox outbox;
  private final ObjectProvider<JavaMailSender> mail;
  private final DaoRegistry daos;
  private final VisitAudit audit;
  private final TransactionTemplate transaction;
  private final String from;
  private final Duration backoff;
  private final ObjectProvider<OutboxChannel> channels;

  OutboxSender(
      Outbox outbox,
      ObjectProvider<JavaMailSender> mail,
      ObjectProvider<OutboxChannel> channels,
      DaoRegistry daos,
      VisitAudit audit,
      PlatformTransactionManager transactions,
      @Value("${televisit.notify.from:televisit@localhost}") String from,
      @Value("${televisit.notify.retry-backoff:PT30S}") Duration backoff) {
    this.outbox = outbox;
    this.mail = mail;
    this.channels = channels;
    this.daos = daos;
    this.audit = audit;
    this.transaction = new TransactionTemplate(transactions);
    this.from = from;
    this.backoff = backoff;
  }

  @Scheduled(initialDelayString = "PT2S", fixedDelayString = "${televisit.notify.poll:PT1S}")
  void sendDue() {
    JavaMailSender sender =
        mail.getIfAvailable(); // without SMTP settings e-mails wait in the outbox
    Map<String, OutboxChannel> others = new HashMap<>();
    channels.orderedStream().forEach(c -> others.put(c.name(), c));
    Set<String> deliverable = new HashSet<>(others.keySet());
    if (sender != null) {
      deliverable.add("email");
    }
    for (Outbox.Message message : outbox.claimDue(deliverable, 20, Duration.ofMinutes(2))) {
      try {
        if ("email".equals(message.channel())) {
          Map<String, Object> payload = JSONObjectUtils.parse(message.payload());
          if (!payload.containsKey("email")) { // a booking's link: to the address on file now
            payload.put(
                "email",
                PatientEmail.onFile(daos, message.recipient())
                    .orElseThrow(
                        () ->
                            new Outbox.Undeliverable(
                                "the patient has no e-mail address on file", null)));
          }
          try {
            sender.send(compose(sender, payload));
          } catch (MailSendException e) {
            if (recipientRefused(e)) {
              throw new Outbox.Undeliverable(
                  "the mail server refused the recipient's address: " + e.getMessage(), e);
            }
            throw e;
          }
          transaction.executeWithoutResult(
              status -> {
                outbox.sent(message);
                recordSent(message, payload);
              });
          log.info("join link e-mail sent for {}", message.appointment());
        } else {
          others.get(message.channel()).deliver(message);
          outbox.sent(message);
        }
      } catch (Outbox.Undeliverable e) {
        log.warn(
            "{} message for {} cannot be delivered; given up: {}",
            message.channel(),
            message.appointment(),
            e.getMessage());
        outbox.gaveUp(message, e.getMessage());
        audit.record(
            "notification-undeliverable",
            false,
            message.appointment(),
            null,
            null,
            message.channel() + ": " + e.getMessage());
      } catch (Exception e) {
        log.warn(
            "{} message for {} failed (attempt {}), will retry: {}",
            message.channel(),
            message.appointment(),
            message.attempts() + 1,
            e.getMessage());
        outbox.failed(message, e.getMessage(), backoff);
      }
    }
  }

  /**
   * The SMTP server rejected the address itself (a 5xx to RCPT TO: JavaMail's invalid addresses),
   * which no retry changes; a server that is down or answers 4xx leaves the message to the retries.
   */
  static boolean recipientRefused(MailSendException e) {
    Deque<Throwable> causes = new ArrayDeque<>(Arrays.asList(e.getMessageExceptions()));
    if (e.getCause() != null) {
      causes.add(e.getCause());
    }
    for (int seen = 0; !causes.isEmpty() && seen < 20; seen++) {
      Throwable cause = causes.poll();
      if (cause instanceof SendFailedException failed
          && failed.getInvalidAddresses() != null
          && failed.getInvalidAddresses().length > 0) {
        return true;
      }
      if (cause.getCause() != null && cause.getCause() != cause) {
        causes.add(cause.getCause());
      }
    }
    return false;
  }

  private MimeMessage compose(JavaMailSender sender, Map<String, Object> payload) throws Exception {
    String link = (String) payload.get("link");
    String when = (String) payload.get("when");
    String clinic = (String) payload.get("clinic");
    MimeMessage message = sender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
    helper.setFrom(from);
    helper.setTo((String) payload.get("email"));
    String guestRole = (String) payload.get("guestRole");
    String opening =
        guestRole == null
            ? "Your video visit with " + clinic + " is on " + when + "."
            : "You are invited to a video visit with "
                + clinic
                + " on "
                + when
                + ", as "
                + guestRole
                + ".";
    helper.setSubject(
        guestRole == null ? "Your video visit with " + clinic : "You are invited to a video visit");
    String text =
        opening
            + "\n\n"
            + "Join from any phone, tablet or computer with this personal link (do not share it):\n"
            + link
            + "\n\n"
            + "The link opens 15 minutes before the visit. You will wait in a virtual waiting room until your clinician lets you in.\n";
    String html =
        "<p>"
            + HtmlUtils.htmlEscape(opening)
            + "</p>"
            + "<p><a href=\""
            + HtmlUtils.htmlEscape(link)
            + "\">Join your visit</a> from any phone, tablet or computer."
            + " This link is personal: do not share it.</p><p>It opens 15 minutes before the visit; you will wait in a"
            + " virtual waiting room until your clinician lets you in.</p>";
    helper.setText(text, html);
    return message;
  }

  private void recordSent(Outbox.Message message, Map<String, Object> payload) {
    Communication c = new Communication();
    c.setStatus(Communication.CommunicationStatus.COMPLETED);
    c.setSubject(new Reference(message.recipient()));
    // an invited guest has no FHIR resource: named as the clinician gave it, the visit's patient
    // stays the subject
    c.addRecipient(
        payload.get("guestRole") == null
            ? new Reference(message.recipient())
            : new Reference()
                .setDisplay(payload.get("guestName") + " (" + payload.get("guestRole") + ")"));
    c.addAbout(new Reference(message.appointment()));
    c.setSent(new Date());
    c.addMedium()
        .addCoding(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
                "EMAILWRIT",
                "email"));
    c.addCategory()
        .addCoding(
            new Coding("urn:televisit:communication", "join-link", "Join link for a video visit"));
    c.addPayload().setContent(new StringType("Join link for the video visit sent by e-mail."));
    daos.getResourceDao(Communication.class).create(c, new SystemRequestDetails());
    audit.record(
        "notification",
        true,
        message.appointment(),
        message.recipient(),
        null,
        "join link e-mail sent");
  }
}
