package org.televisit.fhir.rules;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupportWrapper;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * Validates the visit resources against the base R4 definitions (and any profile they declare) with
 * HAPI's instance validator just before commit. An error is a 422 carrying the validator's
 * OperationOutcome, as the FHIR RESTful API asks for content that breaks the rules of the resource,
 * and the whole write (a transaction bundle included) rolls back.
 */
public class BaseValidation {

  private final FhirValidator validator;
  private final Set<String> validatedTypes;

  public BaseValidation(FhirValidator validator, Set<String> validatedTypes) {
    this.validator = validator;
    this.validatedTypes = validatedTypes;
  }

  /**
   * Appointment and Encounter against the R4 definitions shipped with HAPI, in memory and cached:
   * HAPI's JPA-backed chain would look definitions up in the database on every write and serialise
   * concurrent bookings.
   */
  public static BaseValidation forVisitResources(FhirContext fhirContext) {
    ValidationSupportChain definitions =
        new ValidationSupportChain(
            ValidationSupportChain.CacheConfiguration.defaultValues(),
            new DefaultProfileValidationSupport(fhirContext),
            new CommonCodeSystemsTerminologyService(fhirContext),
            new InMemoryTerminologyServerValidationSupport(fhirContext),
            new SnapshotGeneratingValidationSupport(fhirContext));
    FhirInstanceValidator instanceValidator =
        new FhirInstanceValidator(new BaseTypesListed(fhirContext, definitions));
    instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(instanceValidator);
    return new BaseValidation(validator, Set.of("Appointment", "Encounter"));
  }

  /**
   * Lists only the base types and resources when the validator asks for every StructureDefinition.
   * FHIR core's FHIRPathEngine, built for each validation, asks for the whole list to learn the
   * type names, and the validator converts and keeps an R5 copy of everything listed: with HAPI's
   * ~650 definitions that was ~70 MB of live heap and a walk over all of them per write. The ~440
   * profiles and extension definitions left out of the list are still found by URL when an instance
   * names one.
   */
  static final class BaseTypesListed extends BaseValidationSupportWrapper {
    BaseTypesListed(FhirContext fhirContext, IValidationSupport definitions) {
      super(fhirContext, definitions);
    }

    @Override
    public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
      List<T> all = super.fetchAllStructureDefinitions();
      return all == null ? null : all.stream().filter(BaseTypesListed::isBaseType).toList();
    }

    static boolean isBaseType(IBaseResource definition) {
      return definition instanceof StructureDefinition sd
          && sd.getDerivation() == StructureDefinition.TypeDerivationRule.SPECIALIZATION;
    }
  }

  /**
   * R5 cross-version extensions (such as the virtualService Televisit stamps on visits) make the R4
   * validator look for a 5.0 package it does not have ("invalid Version '5.0'"); they are validated
   * by the code that writes them, so the base validation checks the rest of the resource.
   */
  static IBaseResource withoutCrossVersionExtensions(IBaseResource resource) {
    if (resource instanceof org.hl7.fhir.r4.model.DomainResource domain
        && domain.getExtension().stream().anyMatch(BaseValidation::crossVersion)) {
      org.hl7.fhir.r4.model.DomainResource copy = domain.copy();
      copy.getExtension().removeIf(BaseValidation::crossVersion);
      return copy;
    }
    return resource;
  }

  static final String CROSS_VERSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-";

  static boolean crossVersion(org.hl7.fhir.r4.model.Extension extension) {
    return extension.getUrl() != null && extension.getUrl().startsWith(CROSS_VERSION);
  }

  /**
   * Refuses (422, the validator's OperationOutcome) a validated type that is not valid R4; others
   * pass.
   */
  public void validate(IBaseResource resource) {
    if (!validatedTypes.contains(resource.fhirType())) {
      return;
    }
    ValidationResult result = validator.validateWithResult(withoutCrossVersionExtensions(resource));
    boolean hasError =
        result.getMessages().stream()
            .anyMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
    if (hasError) {
      OperationOutcome outcome = (OperationOutcome) result.toOperationOutcome();
      outcome
          .getIssue()
          .removeIf(
              issue ->
                  issue.getSeverity() != OperationOutcome.IssueSeverity.ERROR
                      && issue.getSeverity() != OperationOutcome.IssueSeverity.FATAL);
      String first = outcome.getIssueFirstRep().getDiagnostics();
      throw new UnprocessableEntityException(
          resource.fhirType() + " is not valid FHIR R4: " + first, outcome);
    }
  }
}
