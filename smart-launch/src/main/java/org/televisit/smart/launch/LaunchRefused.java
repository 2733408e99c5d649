package org.televisit.smart.launch;

/**
 * A launch that cannot go on. The message is a sentence for the clinician's error page: it names
 * what happened, never a token, code or patient.
 */
public class LaunchRefused extends RuntimeException {
  public LaunchRefused(String message) {
    super(message);
  }

  public LaunchRefused(String message, Throwable cause) {
    super(message, cause);
  }
}
