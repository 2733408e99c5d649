package org.televisit.smart.server;

/** An access token that must not be accepted; the message says why, without the token. */
public final class InvalidToken extends Exception {
  public InvalidToken(String message) {
    super(message);
  }
}
