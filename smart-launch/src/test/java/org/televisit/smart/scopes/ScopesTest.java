package org.televisit.smart.scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

  @Test
  void v2ScopesCarryContextTypeAndInteractions() {
    Scopes scopes =
        Scopes.parse(
            "launch openid fhirUser user/Patient.rs user/Encounter.cruds patient/Appointment.r");
    assertThat(scopes.has("launch")).isTrue();
    assertThat(scopes.has("fhirUser")).isTrue();
    assertThat(scopes.allows("Patient", Interaction.READ)).isTrue();
    assertThat(scopes.allows("Patient", Interaction.SEARCH)).isTrue();
    assertThat(scopes.allows("Patient", Interaction.UPDATE)).isFalse();
    assertThat(scopes.allows("Encounter", Interaction.DELETE)).isTrue();
    assertThat(scopes.allows("Appointment", Interaction.SEARCH)).isFalse();
    assertThat(scopes.allows("Observation", Interaction.READ)).isFalse();
  }

  @Test
  void v1ScopesMapOntoV2() {
    Scopes scopes = Scopes.parse("patient/Observation.read user/Encounter.write system/*.*");
    assertThat(scopes.resourceScopes().get(0).interactions())
        .isEqualTo(EnumSet.of(Interaction.READ, Interaction.SEARCH));
    assertThat(scopes.resourceScopes().get(1).interactions())
        .isEqualTo(EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
    assertThat(scopes.resourceScopes().get(2).interactions())
        .isEqualTo(EnumSet.allOf(Interaction.class));
    assertThat(scopes.allows("Slot", Interaction.CREATE)).isTrue();
  }

  @Test
  void narrowingParametersAreKept() {
    ResourceScope scope =
        Scopes.parse("patient/Observation.rs?category=laboratory&status=final")
            .resourceScopes()
            .get(0);
    assertThat(scope.narrowing())
        .containsExactly(Map.entry("category", "laboratory"), Map.entry("status", "final"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "patient/Observation.sr", // out of order
        "patient/Observation.rr", // repeated
        "patient/Observation.x",
        "patient/observation.r", // type must be a FHIR type name
        "patient/Observation",
        "user/Observation.r?category", // narrowing without a value
        "patient/Observation.read?category=x"
      })
  void malformedResourceScopesAreRefusedByName(String scope) {
    assertThatThrownBy(() -> Scopes.parse("openid " + scope))
        .isInstanceOf(Scopes.InvalidScope.class)
        .satisfies(e -> assertThat(((Scopes.InvalidScope) e).scope()).isEqualTo(scope));
  }

  @Test
  void patientScopesConfineToTheCompartmentUnlessAUserScopeAlsoAllows() {
    Scopes patientOnly = Scopes.parse("patient/Appointment.rs");
    assertThat(patientOnly.confinedToPatient("Appointment", Interaction.SEARCH)).isTrue();
    Scopes both = Scopes.parse("patient/Appointment.rs user/Appointment.s");
    assertThat(both.confinedToPatient("Appointment", Interaction.SEARCH)).isFalse();
    assertThat(both.confinedToPatient("Appointment", Interaction.READ)).isTrue();
  }

  @Test
  void theGrantIsWhatTheClientMayHaveOfWhatItAskedFor() {
    Scopes requested =
        Scopes.parse(
            "launch openid user/Patient.rs user/Encounter.cruds user/Observation.rs offline_access");
    Scopes granted =
        Scopes.intersect(
            requested,
            List.of(
                "launch",
                "openid",
                "user/Patient.rs",
                "user/Encounter.rs",
                "user/Observation.rs?category=vital-signs"));
    assertThat(granted.asString()).isEqualTo("user/Patient.rs launch openid");
  }

  @Test
  void emptyAndBlankAreNoScopes() {
    assertThat(Scopes.parse(null).resourceScopes()).isEmpty();
    assertThat(Scopes.parse("   ").asString()).isEmpty();
  }
}
