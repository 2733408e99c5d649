package org.televisit.visits.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs that a text would go out, without the number or the text (they carry PHI and the link). */
@Component
class LoggingSmsSender implements SmsSender {

  private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

  @Override
  public void send(String phoneNumber, String text) {
    log.info("SMS not sent: no SMS gateway is configured ({} characters)", text.length());
  }
}
