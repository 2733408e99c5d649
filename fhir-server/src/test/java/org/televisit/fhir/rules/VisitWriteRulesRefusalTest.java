package org.televisit.fhir.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * How a broken visit rule is refused: what every Appointment and Encounter write goes through
 * (BookingPipeline).
 */
class VisitWriteRulesRefusalTest {

  @Test
  void aBrokenRuleIs422WithTheRuleNamedInTheOutcome() {
    Appointment noTimes = VisitWriteRulesTest.bookedVisit();
    noTimes.setStart(null);
    assertThatThrownBy(() -> VisitWriteRules.enforce(noTimes))
        .isInstanceOfSatisfying(
            UnprocessableEntityException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
              assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                  .isEqualTo("appointment-times");
              assertThat(outcome.getIssueFirstRep().getCode())
                  .isEqualTo(OperationOutcome.IssueType.BUSINESSRULE);
            });
  }

  @Test
  void anAppointmentWithoutParticipantsIsRefused() {
    Appointment fine = VisitWriteRulesTest.bookedVisit();
    Appointment broken = VisitWriteRulesTest.bookedVisit();
    broken.getParticipant().clear();
    VisitWriteRules.enforce(fine);
    assertThatThrownBy(() -> VisitWriteRules.enforce(broken))
        .isInstanceOf(UnprocessableEntityException.class);
  }

  @Test
  void otherResourcesPass() {
    VisitWriteRules.enforce(new Patient());
  }
}
