package org.televisit.visits.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which answers of an EHR end the retries of a write-back (no Spring). */
class EncounterWriteBackTest {

  @Test
  void aRefusalForGoodEndsTheRetries() {
    assertThat(EncounterWriteBack.isFinal(400, true)).isTrue();
    assertThat(EncounterWriteBack.isFinal(403, true)).isTrue();
    assertThat(EncounterWriteBack.isFinal(404, true)).isTrue();
    assertThat(EncounterWriteBack.isFinal(422, false)).isTrue();
  }

  @Test
  void passingFailuresAreRetried() {
    assertThat(EncounterWriteBack.isFinal(0, false)).isFalse(); // no answer
    assertThat(EncounterWriteBack.isFinal(408, false)).isFalse();
    assertThat(EncounterWriteBack.isFinal(409, false)).isFalse();
    assertThat(EncounterWriteBack.isFinal(412, false))
        .isFalse(); // If-Match lost a race: read again
    assertThat(EncounterWriteBack.isFinal(429, false)).isFalse();
    assertThat(EncounterWriteBack.isFinal(503, false)).isFalse();
  }

  @Test
  void anUnauthorizedAnswerIsFinalOnlyWithoutARefreshToken() {
    assertThat(EncounterWriteBack.isFinal(401, false)).isTrue();
    assertThat(EncounterWriteBack.isFinal(401, true)).isFalse();
  }
}
