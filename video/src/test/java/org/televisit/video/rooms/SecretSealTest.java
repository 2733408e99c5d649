package org.televisit.video.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.televisit.video.support.TestDatabase;

class SecretSealTest {

  @Test
  void sealsSoThatOnlyTheKeyOpens() {
    String sealed = TestDatabase.SEAL.seal("room-secret");
    assertThat(sealed).doesNotContain("room-secret").hasSizeLessThan(512);
    assertThat(TestDatabase.SEAL.seal("room-secret"))
        .as("a fresh IV each time")
        .isNotEqualTo(sealed);
    assertThat(TestDatabase.SEAL.open(sealed)).isEqualTo("room-secret");
    SecretSeal other = new SecretSeal(Base64.getEncoder().encodeToString(new byte[32]));
    assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("cannot be opened");
    assertThatThrownBy(() -> TestDatabase.SEAL.open("not-a-jwe"))
        .hasMessageContaining("cannot be opened");
  }

  @Test
  void aKeyMustBe256Bits() {
    assertThatThrownBy(() -> new SecretSeal(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 bytes");
  }
}
