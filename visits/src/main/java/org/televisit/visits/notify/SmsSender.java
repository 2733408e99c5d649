package org.televisit.visits.notify;

/** Text messages; only a logging implementation exists so far (no SMS gateway chosen). */
public interface SmsSender {
  void send(String phoneNumber, String text);
}
