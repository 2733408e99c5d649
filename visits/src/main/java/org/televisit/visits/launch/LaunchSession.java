package org.televisit.visits.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.televisit.smart.launch.LaunchContext;

/**
 * Where a finished launch lives: the clinician's server-side session, never the page. The launch
 * puts it there after the callback; the console and the framing rules read it.
 */
public final class LaunchSession {

  static final String CONTEXT = "televisit.smart.context";
  static final String PENDING = "televisit.smart.pending";

  private LaunchSession() {}

  /** The launch context of this browser's session, if it launched. */
  public static Optional<LaunchContext> context(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(CONTEXT) instanceof LaunchContext context
        ? Optional.of(context)
        : Optional.empty();
  }
}
