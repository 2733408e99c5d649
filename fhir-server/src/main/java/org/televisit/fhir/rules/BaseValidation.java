package org.televisit.fhir.rules;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupportWrapper;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
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

  /** Validations that may run at once; more wait in line, and past the line the answer is 503. */
  static final int AT_ONCE = Math.max(2, Runtime.getRuntime().availableProcessors());

  static final int LINE = 64;

  private final FhirValidator validator;
  private final Set<String> validatedTypes;
  private final Duration budget;
  // Validation runs on these threads so that a write can be answered when its budget is spent: the
  // validator cannot be stopped, but no more than AT_ONCE of them ever run, whatever comes in.
  private final ThreadPoolExecutor validators;

  public BaseValidation(FhirValidator validator, Set<String> validatedTypes, Duration budget) {
    this.validator = validator;
    this.validatedTypes = validatedTypes;
    this.budget = budget;
    AtomicInteger n = new AtomicInteger();
    this.validators =
        new ThreadPoolExecutor(
            AT_ONCE,
            AT_ONCE,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(LINE),
            r -> {
              Thread t = new Thread(r, "fhir-validation-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    validators.allowCoreThreadTimeOut(true);
  }

  // The validator's first run loads and snapshots the definitions (seconds on a slow machine): done
  // once at start-up, outside any request's budget, so no write pays for it.
  private volatile Future<?> warmUp = CompletableFuture.completedFuture(null);

  /**
   * Validates {@code samples} once in the background; writes wait for it before their budget runs.
   */
  BaseValidation warmedUpWith(IBaseResource... samples) {
    warmUp =
        validators.submit(
            () -> {
              for (IBaseResource sample : samples) {
                validator.validateWithResult(sample);
              }
            });
    return this;
  }

  /**
   * Appointment and Encounter against the R4 definitions shipped with HAPI, in memory and cached:
   * HAPI's JPA-backed chain would look definitions up in the database on every write and serialise
   * concurrent bookings.
   */
  public static BaseValidation forVisitResources(FhirContext fhirContext, Duration budget) {
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
    return new BaseValidation(validator, Set.of("Appointment", "Encounter"), budget)
        .warmedUpWith(new Appointment(), new Encounter());
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
    if (resource instanceof DomainResource domain
        && domain.getExtension().stream().anyMatch(BaseValidation::crossVersion)) {
      DomainResource copy = domain.copy();
      copy.getExtension().removeIf(BaseValidation::crossVersion);
      return copy;
    }
    return resource;
  }

  static final String CROSS_VERSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-";

  static boolean crossVersion(Extension extension) {
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
    ValidationResult result = withinBudget(withoutCrossVersionExtensions(resource));
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

  private ValidationResult withinBudget(IBaseResource resource) {
    try {
      warmUp.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the validator warmed up", e);
    } catch (ExecutionException e) {
      // a failed warm-up only means the first write pays for the loading
    }
    Future<ValidationResult> running;
    try {
      running = validators.submit(() -> validator.validateWithResult(resource));
    } catch (RejectedExecutionException busy) {
      UnclassifiedServerFailureException unavailable =
          new UnclassifiedServerFailureException(
              503, "Televisit is checking too many records at once; please try again in a moment.");
      unavailable.addResponseHeader("Retry-After", "1");
      throw unavailable;
    }
    try {
      return running.get(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException spent) {
      running.cancel(true);
      throw new UnprocessableEntityException(
          resource.fhirType()
              + " is too complex to check within "
              + budget.toMillis()
              + " ms; nothing was stored.");
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof RuntimeException e) {
        throw e;
      }
      throw new IllegalStateException(failed.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      running.cancel(true);
      throw new IllegalStateException("interrupted while validating", interrupted);
    }
  }
}
