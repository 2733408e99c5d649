package org.televisit.fhir.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.junit.jupiter.api.Test;
import org.televisit.smart.scopes.Interaction;
import org.televisit.smart.scopes.Scopes;

class ScopeCheckTest {

  @Test
  void restOperationsMapOntoSmartInteractions() {
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.READ)).contains(Interaction.READ);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.VREAD)).contains(Interaction.READ);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.SEARCH_TYPE))
        .contains(Interaction.SEARCH);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.HISTORY_TYPE))
        .contains(Interaction.SEARCH);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.CREATE)).contains(Interaction.CREATE);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.UPDATE)).contains(Interaction.UPDATE);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.PATCH)).contains(Interaction.UPDATE);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.DELETE)).contains(Interaction.DELETE);
    assertThat(ScopeCheck.interactionOf(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE)).isEmpty();
  }

  @Test
  void transactionEntriesAreReadFromMethodAndUrl() {
    assertThat(ScopeCheck.interactionOfEntry("GET", "Patient/1")).isEqualTo(Interaction.READ);
    assertThat(ScopeCheck.interactionOfEntry("GET", "Patient?name=x"))
        .isEqualTo(Interaction.SEARCH);
    assertThat(ScopeCheck.interactionOfEntry("POST", "Appointment")).isEqualTo(Interaction.CREATE);
    assertThat(ScopeCheck.interactionOfEntry("PUT", "Appointment?identifier=a|b"))
        .isEqualTo(Interaction.UPDATE);
    assertThat(ScopeCheck.interactionOfEntry("DELETE", "Slot/9")).isEqualTo(Interaction.DELETE);
    assertThat(ScopeCheck.typeOfEntry("/Appointment/1/_history/2")).isEqualTo("Appointment");
    assertThat(ScopeCheck.typeOfEntry("Slot?schedule=Schedule/1")).isEqualTo("Slot");
    assertThat(ScopeCheck.typeOfEntry("Appointment/$find")).isEqualTo("Appointment");
  }

  @Test
  void systemWideSearchesNeedAScopeOnAllTypesOutsideThePatientContext() {
    assertThat(ScopeCheck.allowsAllTypes(Scopes.parse("system/*.rs"), Interaction.SEARCH)).isTrue();
    assertThat(ScopeCheck.allowsAllTypes(Scopes.parse("user/*.r"), Interaction.SEARCH)).isFalse();
    assertThat(ScopeCheck.allowsAllTypes(Scopes.parse("patient/*.rs"), Interaction.SEARCH))
        .isFalse();
    assertThat(ScopeCheck.allowsAllTypes(Scopes.parse("user/Patient.rs"), Interaction.SEARCH))
        .isFalse();
  }
}
