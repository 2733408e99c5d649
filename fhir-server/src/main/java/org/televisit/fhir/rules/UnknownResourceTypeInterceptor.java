package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * HAPI answers a request for a resource type it does not serve with 404 (HAPI-0302). For a client
 * that is a malformed request, not a missing record: Televisit answers 400 with the same message.
 */
@Interceptor
public class UnknownResourceTypeInterceptor {

  private static final String UNKNOWN_TYPE_CODE = "HAPI-0302";

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException toBadRequest(
      RequestDetails request, Throwable exception, HttpServletRequest servletRequest) {
    if (exception instanceof ResourceNotFoundException notFound
        && notFound.getMessage() != null
        && notFound.getMessage().contains(UNKNOWN_TYPE_CODE)) {
      return new InvalidRequestException(notFound.getMessage());
    }
    return null;
  }
}
