package org.televisit.fhir.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import java.time.Duration;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The base R4 validation of visit resources, as the server runs it (no Spring). */
class BaseValidationTest {

  static BaseValidation validation;

  @BeforeAll
  static void validator() {
    validation =
        BaseValidation.forVisitResources(FhirContext.forR4Cached(), Duration.ofSeconds(30));
  }

  static Appointment booked() {
    Appointment a = VisitWriteRulesTest.bookedVisit();
    a.getParticipant().forEach(p -> p.setStatus(Appointment.ParticipationStatus.ACCEPTED));
    return a;
  }

  @Test
  void aBookedVisitPasses() {
    validation.validate(booked());
  }

  @Test
  void aMissingRequiredElementIsA422WithTheValidatorsOutcome() {
    Appointment a = booked();
    a.getParticipantFirstRep().setStatus(null);
    assertThatThrownBy(() -> validation.validate(a))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("Appointment is not valid FHIR R4")
        .satisfies(
            e ->
                assertThat(
                        ((OperationOutcome)
                                ((UnprocessableEntityException) e).getOperationOutcome())
                            .getIssue())
                    .allMatch(
                        i ->
                            i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                    .anyMatch(i -> i.getDiagnostics().contains("status")));
  }

  @Test
  void aPrimitiveOutOfRangeIsRefused() {
    Appointment a = booked();
    a.setMinutesDuration(0); // positiveInt
    assertThatThrownBy(() -> validation.validate(a))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("less than permitted minimum value of 1");
  }

  /**
   * fhir-server ships a header-only oidregistry.csv ahead of FHIR core's 1.5 MB one: core builds a
   * new InstanceValidator (and parses the registry) for every resource, which was most of a
   * validated write's cost. The registry only names OIDs in uri values, which visit resources do
   * not need.
   */
  @Test
  void theTrimmedOidRegistryIsTheOneLoadedAndOidSystemsStillValidate() {
    assertThat(new OIDUtilities().isKnownOID("2.16.840.1.113883.6.1")).isFalse();
    Appointment a = booked();
    a.addIdentifier(new Identifier().setSystem("urn:oid:2.16.840.1.113883.4.1").setValue("123"));
    validation.validate(a);
  }

  @Test
  void anEncounterOfAVirtualVisitPasses() {
    validation.validate(VisitWriteRulesTest.virtualEncounter(Encounter.EncounterStatus.PLANNED));
  }

  /** Terminology still answers: a code its known code system does not have is an error. */
  @Test
  void aCodeUnknownToItsCodeSystemIsRefused() {
    Encounter e = VisitWriteRulesTest.virtualEncounter(Encounter.EncounterStatus.PLANNED);
    e.getClass_().setCode("NOT-A-CODE");
    assertThatThrownBy(() -> validation.validate(e))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("NOT-A-CODE");
  }

  /**
   * Only the base types are listed to the validator (see BaseTypesListed); a definition outside
   * that list, here Patient's with its invariants, is still fetched when a contained resource needs
   * it.
   */
  @Test
  void aContainedResourceIsValidatedAgainstItsOwnDefinition() {
    Appointment ok = booked();
    Patient walkIn = new Patient();
    walkIn.setId("walk-in");
    walkIn.addName().setFamily("Doe");
    ok.addContained(walkIn);
    ok.getParticipantFirstRep().setActor(new Reference("#walk-in"));
    validation.validate(ok);

    Appointment broken = booked();
    Patient empty = walkIn.copy();
    empty
        .addContact()
        .setGender(Enumerations.AdministrativeGender.FEMALE); // pat-1: details or an organization
    broken.addContained(empty);
    broken.getParticipantFirstRep().setActor(new Reference("#walk-in"));
    assertThatThrownBy(() -> validation.validate(broken))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("pat-1");
  }

  @Test
  void theValidatorIsListedBaseTypesOnly() {
    FhirContext r4 = FhirContext.forR4Cached();
    var listed =
        new BaseValidation.BaseTypesListed(
                r4, new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(r4))
            .fetchAllStructureDefinitions();
    assertThat(listed).allMatch(BaseValidation.BaseTypesListed::isBaseType);
    assertThat(listed)
        .extracting(sd -> ((StructureDefinition) sd).getType())
        .contains("Appointment", "Encounter", "Reference", "CodeableConcept", "positiveInt")
        .hasSizeLessThan(250);
  }

  /**
   * The R5 virtualService extension is kept from the R4 validator (it has no 5.0 package) and the
   * resource itself is left as it was, also when the validator refuses it.
   */
  @Test
  void crossVersionExtensionsAreKeptFromTheValidatorAndTheResourceIsLeftAsItWas() {
    Appointment a = booked();
    a.addExtension("http://example.org/first", new org.hl7.fhir.r4.model.StringType("kept"));
    new org.televisit.fhir.scheduling.VirtualServiceStamp("https://televisit.example.org/visit", 4)
        .created(a);
    a.addExtension("http://example.org/last", new org.hl7.fhir.r4.model.StringType("kept"));
    var before = a.getExtension().stream().map(e -> e.getUrl()).toList();
    assertThat(before).hasSize(3).contains(org.televisit.fhir.scheduling.VirtualServiceStamp.URL);

    validation.validate(a);
    assertThat(a.getExtension()).extracting(e -> e.getUrl()).containsExactlyElementsOf(before);

    a.getParticipantFirstRep().setStatus(null);
    assertThatThrownBy(() -> validation.validate(a))
        .isInstanceOf(UnprocessableEntityException.class);
    assertThat(a.getExtension()).extracting(e -> e.getUrl()).containsExactlyElementsOf(before);
    assertThat(
            a.getExtensionByUrl(org.televisit.fhir.scheduling.VirtualServiceStamp.URL)
                .getExtension())
        .isNotEmpty();
  }

  @Test
  void otherTypesAreLeftAlone() {
    validation.validate(new org.hl7.fhir.r4.model.Slot());
  }

  /**
   * A write whose validation outlasts its budget is answered 422 when the budget is spent (the
   * validator cannot be stopped, but it runs on a bounded pool, so such bodies cannot pile up CPU).
   */
  @Test
  void aValidationPastItsBudgetIsRefusedWhenTheBudgetIsSpent() {
    FhirValidator slow = FhirContext.forR4Cached().newValidator();
    slow.registerValidatorModule(
        context -> {
          long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
          while (System.nanoTime() < until) {
            Thread.onSpinWait(); // a validation that burns CPU, as a pathological body would
          }
        });
    BaseValidation budgeted =
        new BaseValidation(slow, Set.of("Appointment"), Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> budgeted.validate(booked()))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("too complex to check within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  /**
   * Past the line of waiting validations the answer is 503 with Retry-After, not an ever-longer
   * queue.
   */
  @Test
  void moreValidationsThanTheLineHoldsAre503() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    FhirValidator stuck = FhirContext.forR4Cached().newValidator();
    stuck.registerValidatorModule(
        context -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    BaseValidation budgeted =
        new BaseValidation(stuck, Set.of("Appointment"), Duration.ofSeconds(30));
    java.util.concurrent.ExecutorService writers =
        java.util.concurrent.Executors.newFixedThreadPool(
            BaseValidation.AT_ONCE + BaseValidation.LINE);
    try {
      for (int i = 0; i < BaseValidation.AT_ONCE + BaseValidation.LINE; i++) {
        writers.submit(() -> budgeted.validate(booked()));
      }
      Thread.sleep(500); // all of them running or in line
      assertThatThrownBy(() -> budgeted.validate(booked()))
          .isInstanceOfSatisfying(
              ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(503);
                assertThat(e.getResponseHeaders()).containsKey("Retry-After");
              });
    } finally {
      release.countDown();
      writers.shutdown();
    }
  }
}
