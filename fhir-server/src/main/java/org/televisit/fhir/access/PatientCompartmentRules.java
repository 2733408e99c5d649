package org.televisit.fhir.access;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.televisit.fhir.FhirEndpointConfig;
import org.televisit.fhir.ServedResourceTypes;
import org.televisit.smart.scopes.Interaction;
import org.televisit.smart.scopes.ResourceScope;
import org.televisit.smart.server.VerifiedToken;

/**
 * Confines patient/ scopes to the launch patient's compartment with HAPI's own
 * AuthorizationInterceptor, which checks reads, searches (every resource it would show), writes and
 * transaction entries. Directory data (practitioners, organizations, locations, schedules, slots)
 * is not a patient's data and stays readable under patient scopes. Tokens with user/ or system/
 * scopes only are not confined; the interaction-level check is {@link SmartAccessInterceptor}'s.
 */
public class PatientCompartmentRules extends AuthorizationInterceptor
    implements FhirEndpointConfig.FhirServerInterceptor {

  static final Set<String> DIRECTORY =
      Set.of("Practitioner", "PractitionerRole", "Organization", "Location", "Schedule", "Slot");

  public PatientCompartmentRules() {
    super(PolicyEnum.DENY);
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    VerifiedToken token = (VerifiedToken) request.getUserData().get(SmartAccessInterceptor.TOKEN);
    List<ResourceScope> patientScopes =
        token == null
            ? List.of()
            : token.scopes().resourceScopes().stream()
                .filter(s -> s.context() == ResourceScope.Context.PATIENT)
                .toList();
    if (patientScopes.isEmpty()) {
      return new RuleBuilder().allowAll().build();
    }
    if (token.patient() == null) {
      return new RuleBuilder()
          .denyAll("patient/ scopes were granted without a patient in context")
          .build();
    }
    IdType patient = new IdType("Patient", token.patient().replaceFirst("^Patient/", ""));
    IAuthRuleBuilder rules = new RuleBuilder();
    rules.allow().metadata().andThen();
    rules.allow().transaction().withAnyOperation().andApplyNormalRules().andThen();
    for (ResourceScope scope : token.scopes().resourceScopes()) {
      for (String type : typesOf(scope)) {
        boolean confined =
            scope.context() == ResourceScope.Context.PATIENT && !DIRECTORY.contains(type);
        boolean reads =
            scope.interactions().contains(Interaction.READ)
                || scope.interactions().contains(Interaction.SEARCH);
        boolean writes =
            scope.interactions().contains(Interaction.CREATE)
                || scope.interactions().contains(Interaction.UPDATE);
        if (reads) {
          var op = rules.allow().read().resourcesOfType(type);
          (confined ? op.inCompartment("Patient", patient) : op.withAnyId()).andThen();
        }
        if (writes) {
          var op = rules.allow().write().resourcesOfType(type);
          (confined ? op.inCompartment("Patient", patient) : op.withAnyId()).andThen();
          var create = rules.allow().create().resourcesOfType(type);
          (confined ? create.inCompartment("Patient", patient) : create.withAnyId()).andThen();
        }
        if (scope.interactions().contains(Interaction.DELETE)) {
          var op = rules.allow().delete().resourcesOfType(type);
          (confined ? op.inCompartment("Patient", patient) : op.withAnyId()).andThen();
        }
      }
    }
    return rules.denyAll("outside the launch patient's compartment").build();
  }

  private static List<String> typesOf(ResourceScope scope) {
    return "*".equals(scope.resourceType())
        ? ServedResourceTypes.ALL
        : new ArrayList<>(List.of(scope.resourceType()));
  }
}
