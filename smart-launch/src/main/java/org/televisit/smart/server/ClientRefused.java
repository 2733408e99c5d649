package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A refusal at the token, introspection or revocation endpoint, as the RFC 6749 error to send. */
public final class ClientRefused extends Exception {

  private final transient ErrorObject error;

  ClientRefused(ErrorObject error, String description) {
    super(description);
    this.error = error.setDescription(description);
  }

  public ErrorObject error() {
    return error;
  }
}
