package org.televisit.smart.server;

import java.net.URI;

/** What the authorize endpoint answers; the web layer turns it into a page or a redirect. */
public sealed interface AuthorizeOutcome {

  /**
   * The request cannot be trusted to redirect (unknown app, unregistered redirect URI): show the
   * user a page with this sentence, never redirect.
   */
  record Refused(String message) implements AuthorizeOutcome {}

  /** Send the browser back to the app: with a code, or with an RFC 6749 error. */
  record Redirect(URI location) implements AuthorizeOutcome {}

  /**
   * A user must sign in first (as {@code requiredUser} when an EHR launch names one) and, for a
   * standalone launch/patient, pick a patient; then the same request is answered again.
   */
  record SignInNeeded(String appName, String requiredUser, boolean needsPatient)
      implements AuthorizeOutcome {}
}
