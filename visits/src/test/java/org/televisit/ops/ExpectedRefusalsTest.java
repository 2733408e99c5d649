package org.televisit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class ExpectedRefusalsTest {

  final LoggerContext context = new LoggerContext();
  final ExpectedRefusals filter = new ExpectedRefusals();

  @Test
  void aRefusalThatAnInterceptorAnswersIsNoErrorLineButAFaultStillIs() {
    var hapi = context.getLogger(ExpectedRefusals.HAPI_INTERCEPTORS);
    Object[] refused = {
      "SERVER_INCOMING_REQUEST_PRE_HANDLED",
      "x",
      new AuthenticationException("An access token is required")
    };
    assertThat(
            filter.decide(
                null,
                hapi,
                Level.ERROR,
                "Exception thrown by interceptor for pointcut {}: {}",
                refused,
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            filter.decide(
                null,
                hapi,
                Level.ERROR,
                "m",
                new Object[] {new ResourceVersionConflictException("double")},
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            filter.decide(
                null,
                hapi,
                Level.ERROR,
                "m",
                new Object[] {new InternalErrorException("bug")},
                null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                null, hapi, Level.ERROR, "m", new Object[] {new NullPointerException()}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                null, context.getLogger("org.televisit.x"), Level.ERROR, "m", refused, null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
