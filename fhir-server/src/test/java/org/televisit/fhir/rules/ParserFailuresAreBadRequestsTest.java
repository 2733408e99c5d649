package org.televisit.fhir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.junit.jupiter.api.Test;

class ParserFailuresAreBadRequestsTest {

  final ParserFailuresAreBadRequests rule = new ParserFailuresAreBadRequests();

  static RuntimeException thrownAt(RuntimeException e, String type, String method) {
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(type, method, "X.java", 1),
          new StackTraceElement(
              "ca.uhn.fhir.rest.server.method.BaseMethodBinding", "invokeServerMethod", "X.java", 1)
        });
    return e;
  }

  @Test
  void aFailureWhileReadingTheBodyIs400() {
    var npe =
        thrownAt(
            new NullPointerException("nextExtObj"),
            "ca.uhn.fhir.parser.JsonParser",
            "parseChildren");
    assertThat(rule.toBadRequest(null, new InternalErrorException("HAPI-0389", npe)))
        .isInstanceOf(InvalidRequestException.class);
    var state =
        thrownAt(
            new IllegalArgumentException("theResource must not be null"),
            "ca.uhn.fhir.parser.ParserState$X",
            "endingElement");
    assertThat(rule.toBadRequest(null, state)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anythingElseKeepsItsAnswer() {
    var encoding =
        thrownAt(
            new NullPointerException(),
            "ca.uhn.fhir.parser.JsonParser",
            "encodeResourceToJsonLikeWriter");
    assertThat(rule.toBadRequest(null, new InternalErrorException("x", encoding))).isNull();
    var ours =
        thrownAt(
            new NullPointerException(),
            "org.televisit.fhir.scheduling.SchedulingOperations",
            "book");
    assertThat(rule.toBadRequest(null, new InternalErrorException("x", ours))).isNull();
    assertThat(rule.toBadRequest(null, new ResourceNotFoundException("gone"))).isNull();
  }
}
