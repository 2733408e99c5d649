package org.televisit.ops;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * HAPI 8.8 logs every exception an interceptor throws at ERROR, with its stack trace, before it
 * answers the request: a 401 without a token, a 403 outside the scopes, a 409 double booking, a 422
 * rule. Those are answers, not faults; an operator's ERROR lines are for faults. This drops that
 * one logger's line when the exception is a 4xx answer; a 5xx (or any other exception) is still
 * logged. HAPI's line for each 4xx answer (INFO, the exception's text, which can repeat values of
 * the refused body) is dropped too: no value of a rejected body reaches the log.
 */
public final class ExpectedRefusals extends TurboFilter {

  static final String HAPI_INTERCEPTORS = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";

  // logs every 4xx at INFO as the exception's text, which repeats values of the refused body (a
  // birth date, a name): the refusal is answered and audited, the body's content stays out of logs
  static final String HAPI_EXCEPTIONS =
      "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (logger != null
        && HAPI_EXCEPTIONS.equals(logger.getName())
        && level != null
        && !level.isGreaterOrEqual(Level.ERROR)
        && format != null
        && format.startsWith("Failure during REST processing")) {
      return FilterReply.DENY;
    }
    if (level != Level.ERROR || logger == null || !HAPI_INTERCEPTORS.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    Throwable thrown = t;
    if (thrown == null
        && params != null
        && params.length > 0
        && params[params.length - 1] instanceof Throwable last) {
      thrown = last;
    }
    return thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
