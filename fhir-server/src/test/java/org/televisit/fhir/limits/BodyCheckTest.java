package org.televisit.fhir.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class BodyCheckTest {

  final BodyCheck check =
      new BodyCheck(
          new RequestLimits(DataSize.ofMegabytes(1), 64, 20_000, java.time.Duration.ofSeconds(2)));

  @Test
  void anOrdinaryResourcePasses() {
    assertThat(
            json(
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Ünal\",\"given\":[\"Zoë\"]}],\"text\":\"😀\"}"))
        .isEmpty();
    assertThat(
            xml(
                "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Ünal\"/></name></Patient>"))
        .isEmpty();
  }

  @Test
  void nestingPastTheLimitIsRefused() {
    assertThat(json("{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}"))
        .hasValueSatisfying(s -> assertThat(s).contains("64 levels"));
    assertThat(xml("<a>".repeat(70) + "</a>".repeat(70)))
        .hasValueSatisfying(s -> assertThat(s).contains("64 levels"));
    assertThat(json("{\"a\":" + "[".repeat(60) + "]".repeat(60) + "}")).isEmpty();
  }

  @Test
  void tooManyValuesAreRefused() {
    assertThat(json("[" + "1,".repeat(20_001) + "1]"))
        .hasValueSatisfying(s -> assertThat(s).contains("20000 values"));
    assertThat(xml("<a>" + "<b v=\"1\"/>".repeat(10_001) + "</a>"))
        .hasValueSatisfying(s -> assertThat(s).contains("values"));
  }

  @Test
  void aLoneSurrogateIsRefusedAndNoValueIsEchoed() {
    assertThat(json("{\"value\":\"secret-\\ud800\"}"))
        .hasValueSatisfying(s -> assertThat(s).contains("Unicode").doesNotContain("secret"));
    assertThat(json("{\"value\":\"\\udc00\"}")).isPresent();
    assertThat(json("{\"value\":\"\\ud83d\\ude00\"}")).isEmpty();
  }

  @Test
  void aDoctypeIsRefusedAndMalformedBodiesAreLeftToHapi() {
    assertThat(xml("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))
        .isPresent();
    assertThat(json("{\"resourceType\": ")).isEmpty();
    assertThat(check.problem("x".getBytes(StandardCharsets.UTF_8), "text/turtle")).isEmpty();
  }

  private java.util.Optional<String> json(String body) {
    return check.problem(body.getBytes(StandardCharsets.UTF_8), "application/fhir+json");
  }

  private java.util.Optional<String> xml(String body) {
    return check.problem(body.getBytes(StandardCharsets.UTF_8), "application/fhir+xml");
  }
}
