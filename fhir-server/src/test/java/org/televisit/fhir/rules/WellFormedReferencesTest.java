package org.televisit.fhir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WellFormedReferencesTest {

  @Test
  void theFormsFhirKnowsPass() {
    assertThat(WellFormedReferences.wellFormed("Practitioner/1008")).isTrue();
    assertThat(WellFormedReferences.wellFormed("Practitioner/1008/_history/2")).isTrue();
    assertThat(WellFormedReferences.wellFormed("Patient?identifier=urn:x|1")).isTrue();
    assertThat(WellFormedReferences.wellFormed("#contained-1")).isTrue();
    assertThat(WellFormedReferences.wellFormed("urn:uuid:0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5"))
        .isTrue();
    assertThat(
            WellFormedReferences.wellFormed("https://ehr.example.org/fhir/r4/tenant/Patient/123"))
        .isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(WellFormedReferences.wellFormed("Practitioner/1008?x=1")).isFalse();
    assertThat(WellFormedReferences.wellFormed("Practitioner/")).isFalse();
    assertThat(WellFormedReferences.wellFormed("practitioner/1")).isFalse();
    assertThat(WellFormedReferences.wellFormed("Practitioner/1 2")).isFalse();
    assertThat(WellFormedReferences.wellFormed("javascript:alert(1)")).isFalse();
  }
}
