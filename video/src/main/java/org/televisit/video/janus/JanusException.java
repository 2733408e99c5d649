package org.televisit.video.janus;

/**
 * An error Janus reported (it answers errors with HTTP 200 and a JSON body). The code is Janus's
 * own: core codes (403, 458, 490, ...) or a videoroom error_code (426, 427, 433, ...).
 */
public class JanusException extends RuntimeException {

  private final int code;

  public JanusException(int code, String reason) {
    super("Janus error " + code + ": " + reason);
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Turns a Janus error code into the most specific exception Televisit branches on. */
  static JanusException of(int code, String reason) {
    return switch (code) {
      case 426 -> new NoSuchRoom(reason);
      case 427 -> new RoomExists(reason);
      case 428 -> new NoSuchParticipant(reason);
      case 433 -> new WrongSecret(reason);
      case 403, 405, 490 -> new Unauthorized(code, reason);
      default -> new JanusException(code, reason);
    };
  }

  /** videoroom 426. */
  public static final class NoSuchRoom extends JanusException {
    NoSuchRoom(String reason) {
      super(426, reason);
    }
  }

  /** videoroom 427. */
  public static final class RoomExists extends JanusException {
    RoomExists(String reason) {
      super(427, reason);
    }
  }

  /** videoroom 428. */
  public static final class NoSuchParticipant extends JanusException {
    NoSuchParticipant(String reason) {
      super(428, reason);
    }
  }

  /** videoroom 433: wrong room secret, wrong pin, token not allowed, or wrong admin_key. */
  public static final class WrongSecret extends JanusException {
    WrongSecret(String reason) {
      super(433, reason);
    }
  }

  /** core 403 (bad admin secret / token), 405 (token not allowed for plugin), 490 (token error). */
  public static final class Unauthorized extends JanusException {
    Unauthorized(int code, String reason) {
      super(code, reason);
    }
  }
}
