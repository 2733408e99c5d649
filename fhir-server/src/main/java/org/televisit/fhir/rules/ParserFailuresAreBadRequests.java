package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Locale;

/**
 * HAPI's parser trips over some malformed bodies (a bundle entry whose resource is no object, an
 * extension that is an array) with a NullPointerException or a failed argument check, which the
 * server answers as a 500. A failure inside the parser, while it reads the request, is the body's
 * fault: 400, with a sentence and nothing of the body.
 */
@Interceptor
public final class ParserFailuresAreBadRequests {

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException toBadRequest(RequestDetails request, Throwable exception) {
    if (exception instanceof BaseServerResponseException answered
        && !(answered instanceof InternalErrorException)) {
      return null;
    }
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if ((t instanceof NullPointerException
              || t instanceof IllegalArgumentException
              || t instanceof ClassCastException
              || t instanceof IllegalStateException)
          && thrownByTheParser(t)) {
        return new InvalidRequestException(
            "The body is not a FHIR resource Televisit can read: an element has the wrong"
                + " shape (an object where a list belongs, or the other way round).");
      }
    }
    return null;
  }

  private static boolean thrownByTheParser(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 40); i++) {
      String type = frames[i].getClassName();
      // reading (parse*, ParserState), not writing a response: an encoder's failure stays a 500
      if (type.startsWith("ca.uhn.fhir.parser.")
          && (type.contains("ParserState")
              || frames[i].getMethodName().toLowerCase(Locale.ROOT).contains("parse"))) {
        return true;
      }
      if (type.startsWith("ca.uhn.fhir.rest.server.method.") || type.startsWith("org.televisit.")) {
        return false; // past the parser: a fault of the server, reported as such
      }
    }
    return false;
  }
}
