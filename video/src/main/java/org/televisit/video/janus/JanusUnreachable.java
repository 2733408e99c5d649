package org.televisit.video.janus;

/** Janus could not be asked or did not answer sensibly: connect failure, timeout, 5xx, garbage. */
public class JanusUnreachable extends RuntimeException {

  public JanusUnreachable(String message, Throwable cause) {
    super(message, cause);
  }

  public JanusUnreachable(String message) {
    super(message);
  }
}
