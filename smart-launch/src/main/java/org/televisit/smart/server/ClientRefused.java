package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

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

  /**
   * An OAuth message parser of the SDK (TokenRequest::parse, TokenRevocationRequest::parse, ...).
   */
  interface Parser<T> {
    T parse(HTTPRequest request) throws ParseException;
  }

  /** The client's message, or a refusal: invalid_request unless the SDK names a better error. */
  static <T> T parsed(Parser<T> parser, HTTPRequest request) throws ClientRefused {
    try {
      return parser.parse(request);
    } catch (ParseException e) {
      throw new ClientRefused(
          e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST,
          e.getMessage());
    }
  }

  /** Records the refusal (an AuditEvent, no secret in it) and answers it as RFC 6749 asks. */
  HTTPResponse answer(SecurityEvent.Sink events, SecurityEvent.Kind kind, String clientId) {
    events.record(new SecurityEvent(kind, clientId, false, error.getCode() + ": " + getMessage()));
    return new TokenErrorResponse(error).toHTTPResponse();
  }
}
