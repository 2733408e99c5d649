package org.televisit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module map of the design, enforced: visits -> fhir-server, smart-launch, video; fhir-server
 * -> smart-launch only; video and smart-launch depend on nothing of ours; video knows neither
 * Spring nor FHIR.
 */
@AnalyzeClasses(packages = "org.televisit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  static final String VIDEO = "org.televisit.video..";
  static final String SMART = "org.televisit.smart..";
  static final String FHIR = "org.televisit.fhir..";
  static final String VISITS = "org.televisit.visits..";

  @ArchTest
  static final ArchRule videoDependsOnNothingOfOurs =
      noClasses()
          .that()
          .resideInAPackage(VIDEO)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SMART, FHIR, VISITS);

  @ArchTest
  static final ArchRule videoKnowsNoSpringAndNoFhir =
      noClasses()
          .that()
          .resideInAPackage(VIDEO)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "ca.uhn.fhir..", "org.hl7.fhir..");

  @ArchTest
  static final ArchRule smartLaunchDependsOnNothingOfOurs =
      noClasses()
          .that()
          .resideInAPackage(SMART)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(VIDEO, FHIR, VISITS);

  @ArchTest
  static final ArchRule fhirServerUsesOnlySmartLaunch =
      noClasses()
          .that()
          .resideInAPackage(FHIR)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(VIDEO, VISITS);

  @ArchTest
  static final ArchRule nothingDependsOnTheApplication =
      noClasses()
          .that()
          .resideInAnyPackage(VIDEO, SMART, FHIR)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(VISITS);
}
