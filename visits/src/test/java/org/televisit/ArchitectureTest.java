package org.televisit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The structure inside the modules (the module map itself is kept by the POMs: a module cannot
 * reach one it does not depend on). Each module's parts call each other one way only; the
 * application's web layer is a leaf; the application extends the booking through fhir-server's
 * BookingEvents, never with HAPI hooks of its own.
 */
@AnalyzeClasses(packages = "org.televisit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * The application's features (launch, console, join, visit, ...) call each other one way only.
   */
  @ArchTest
  static final ArchRule theApplicationsFeaturesAreFreeOfCycles =
      slices().matching("org.televisit.visits.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theFhirServersPartsAreFreeOfCycles =
      slices().matching("org.televisit.fhir.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule smartLaunchsPartsAreFreeOfCycles =
      slices().matching("org.televisit.smart.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theVideoModulesPartsAreFreeOfCycles =
      slices().matching("org.televisit.video.(*)..").should().beFreeOfCycles();

  /** A controller (or a type declared inside one) : the web layer. */
  static final DescribedPredicate<JavaClass> WEB_LAYER =
      DescribedPredicate.describe(
          "a controller",
          c -> {
            for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
              if (k.isAnnotatedWith(RestController.class) || k.isAnnotatedWith(Controller.class)) {
                return true;
              }
            }
            return false;
          });

  /**
   * A controller binds a request and delegates; no other class calls into one (the waiting room
   * used to).
   */
  @ArchTest
  static final ArchRule nothingDependsOnAnotherController =
      classes()
          .should(
              new ArchCondition<JavaClass>("depend on no other class's controller") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                  for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    if (target.getPackageName().startsWith("org.televisit")
                        && WEB_LAYER.test(target)
                        && !topLevel(target).equals(topLevel(origin))) {
                      events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                  }
                }
              });

  static JavaClass topLevel(JavaClass c) {
    JavaClass k = c;
    while (k.getEnclosingClass().isPresent()) {
      k = k.getEnclosingClass().get();
    }
    return k;
  }

  /**
   * Join links, messages and audit hang off the booking pipeline (BookingEvents), not HAPI hooks.
   */
  @ArchTest
  static final ArchRule theApplicationRegistersNoHapiHooks =
      noClasses()
          .that()
          .resideInAPackage("org.televisit.visits..")
          .should()
          .callMethod(IInterceptorService.class, "registerInterceptor", Object.class);
}
