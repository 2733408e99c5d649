package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Applies {@link VisitWriteRules} to every stored Appointment and Encounter, whoever writes it (REST,
 * transaction bundle, or another module in-process). It runs just before commit, when references
 * inside a transaction bundle are resolved, so a broken rule rolls the whole write back: a 422 whose
 * OperationOutcome names the rule, and nothing half-written.
 */
@Interceptor
public class VisitWriteRulesInterceptor {

  public static final String RULE_SYSTEM = "urn:televisit:rule";

  @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = 0)
  public void beforeCreate(IBaseResource resource) {
    enforce(resource);
  }

  @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = 0)
  public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource) {
    enforce(newResource);
  }

  static void enforce(IBaseResource resource) {
    List<VisitWriteRules.Violation> violations;
    if (resource instanceof Appointment appointment) {
      violations = VisitWriteRules.check(appointment);
    } else if (resource instanceof Encounter encounter) {
      violations = VisitWriteRules.check(encounter);
    } else {
      return;
    }
    if (violations.isEmpty()) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    for (VisitWriteRules.Violation violation : violations) {
      OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue();
      issue.setSeverity(IssueSeverity.ERROR);
      issue.setCode(IssueType.BUSINESSRULE);
      issue.setDiagnostics(violation.message());
      issue.getDetails().addCoding().setSystem(RULE_SYSTEM).setCode(violation.rule());
      issue.getDetails().setText(violation.message());
    }
    String first = violations.get(0).message();
    throw new UnprocessableEntityException(
        "Visit rule " + violations.get(0).rule() + " broken: " + first, outcome);
  }
}
