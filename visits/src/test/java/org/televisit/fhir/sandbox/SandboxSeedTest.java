package org.televisit.fhir.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

@TelevisitIntegrationTest
class SandboxSeedTest extends FhirTestSupport {

  @Autowired SandboxSeed seed;

  @BeforeEach
  void startupLoadDone() throws Exception {
    seed.awaitStartupLoad(Duration.ofSeconds(90));
  }

  @Test
  void theSandboxClinicIsLoadedAtStartUp() throws Exception {
    assertThat(count("Patient?identifier=" + SandboxDataSet.MRN_SYSTEM + "|"))
        .isGreaterThanOrEqualTo(6);
    assertThat(count("Practitioner?identifier=" + SandboxDataSet.SYSTEM + "|")).isEqualTo(3);
    assertThat(count("PractitionerRole?identifier=" + SandboxDataSet.SYSTEM + "|")).isEqualTo(3);
    assertThat(count("Schedule?identifier=" + SandboxDataSet.SYSTEM + "|")).isEqualTo(3);
    assertThat(count("Slot?status=free&identifier=" + SandboxDataSet.SYSTEM + "|"))
        .isGreaterThan(100);
    assertThat(count("Appointment?status=booked&identifier=" + SandboxDataSet.SYSTEM + "|"))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void loadingItAgainCreatesNothing() throws Exception {
    // The start-up run already loaded today's set: a second start on the same day finds all of it.
    int slotsBefore = count("Slot?identifier=" + SandboxDataSet.SYSTEM + "|");
    SandboxSeed.SeedResult again = seed.seed(seed.lastLoadedAt());
    assertThat(again.created()).isZero();
    assertThat(again.existing()).isGreaterThan(600);
    assertThat(count("Slot?identifier=" + SandboxDataSet.SYSTEM + "|")).isEqualTo(slotsBefore);
  }

  int count(String query) throws Exception {
    String sep = query.contains("?") ? "&" : "?";
    return fhirContext
        .newJsonParser()
        .parseResource(Bundle.class, get("/fhir/" + query + sep + "_summary=count").body())
        .getTotal();
  }
}
