package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Mutated bodies against Appointment, Encounter, transactions and $book, from a fixed seed (so a
 * failure is reproduced by its number): truncations, wrong types, huge strings, deep nesting,
 * unknown types, XML, wrong content types, bad references, duplicate ids, transactions with one bad
 * entry. None may get a 5xx, none may leave part of itself stored, and the service must be alive
 * after. {@code -Dtelevisit.fuzz.bodies=N} (default 5,000) and {@code -Dtelevisit.fuzz.seed=S};
 * bench/fuzz.sh runs it longer.
 */
@TelevisitIntegrationTest
class FuzzedBodiesTest extends FhirTestSupport {

  static final int BODIES = Integer.getInteger("televisit.fuzz.bodies", 5_000);
  static final long SEED = Long.getLong("televisit.fuzz.seed", 20261202L);
  static final String MARK = "urn:televisit:fuzz";

  record Target(String path, String seed) {}

  @Test
  void noMutatedBodyGetsA5xxOrLeavesAPartialWrite() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    Random random = new Random(SEED);
    Map<Integer, Integer> codes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    String slowestBody = "";
    for (int n = 0; n < BODIES; n++) {
      String marker = SEED + "-" + n;
      Instant start = Instant.parse("2032-01-05T08:00:00Z").plusSeconds(1200L * n);
      List<Target> targets = targets(patient.getValue(), practitioner.getValue(), start, marker);
      Target target = targets.get(random.nextInt(targets.size()));
      Mutated body = mutate(target.seed(), random);
      long began = System.nanoTime();
      HttpResponse<String> answer = send(target.path(), body.contentType(), body.bytes());
      long ms = (System.nanoTime() - began) / 1_000_000;
      if (ms > slowest) {
        slowest = ms;
        slowestBody = n + " " + body.kind() + " -> " + target.path();
      }
      codes.merge(answer.statusCode(), 1, Integer::sum);
      if (answer.statusCode() >= 500) {
        failures.add(
            "#"
                + n
                + " "
                + body.kind()
                + " "
                + target.path()
                + " -> "
                + answer.statusCode()
                + " "
                + abbreviate(answer.body(), 200));
      } else if (answer.statusCode() >= 400 && target.path().equals("/fhir") && n % 5 == 0) {
        // a refused transaction stored none of its entries
        for (String type : List.of("Appointment", "Encounter")) {
          String found =
              get("/fhir/" + type + "?identifier=" + MARK + "%7C" + marker + "&_summary=count")
                  .body();
          if (!found.contains("\"total\":0")) {
            failures.add(
                "#" + n + " " + body.kind() + ": a refused transaction left a " + type + " behind");
          }
        }
      }
    }
    String summary =
        "bodies "
            + BODIES
            + ", seed "
            + SEED
            + ", codes "
            + codes
            + ", slowest "
            + slowest
            + " ms ("
            + slowestBody
            + ")";
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "fuzz-summary.txt"), summary + "\n");
    System.out.println("fuzz: " + summary);
    assertThat(failures).as(summary).isEmpty();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  static List<Target> targets(String patient, String practitioner, Instant start, String marker) {
    String appointment =
        "{\"resourceType\":\"Appointment\",\"identifier\":[{\"system\":\""
            + MARK
            + "\",\"value\":\""
            + marker
            + "\"}],"
            + "\"status\":\"booked\",\"start\":\""
            + start
            + "\",\"end\":\""
            + start.plusSeconds(1200)
            + "\","
            + "\"participant\":[{\"actor\":{\"reference\":\""
            + patient
            + "\"},\"status\":\"accepted\"},"
            + "{\"actor\":{\"reference\":\""
            + practitioner
            + "\"},\"status\":\"accepted\"}]}";
    String encounter =
        "{\"resourceType\":\"Encounter\",\"identifier\":[{\"system\":\""
            + MARK
            + "\",\"value\":\""
            + marker
            + "\"}],"
            + "\"status\":\"planned\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"VR\"},"
            + "\"subject\":{\"reference\":\""
            + patient
            + "\"}}";
    String transaction =
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
            + "{\"fullUrl\":\"urn:uuid:0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5\",\"resource\":"
            + appointment
            + ",\"request\":{\"method\":\"POST\",\"url\":\"Appointment\"}},"
            + "{\"resource\":"
            + encounter.replace(
                "\"subject\"",
                "\"appointment\":[{\"reference\":\"urn:uuid:0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5\"}],\"subject\"")
            + ",\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}}]}";
    String book =
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"appointment\",\"resource\":"
            + appointment
            + "}]}";
    return List.of(
        new Target("/fhir/Appointment", appointment),
        new Target("/fhir/Encounter", encounter),
        new Target("/fhir", transaction),
        new Target("/fhir/Appointment/$book", book));
  }

  record Mutated(String kind, String contentType, byte[] bytes) {}

  static final String[] VALUES = {
    "null",
    "true",
    "0",
    "-1",
    "1e308",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[[[]]]",
    "\"9999-99-99\"",
    "\"Patient/\"",
    "\"Practitioner/1?x=1\"",
    "\"\\ud800\"",
    "\"<script>\"",
    "{\"reference\":\"#nope\"}"
  };

  static Mutated mutate(String seed, Random r) {
    String json = "application/fhir+json";
    switch (r.nextInt(14)) {
      case 0:
        return new Mutated(
            "truncated",
            json,
            seed.substring(0, r.nextInt(seed.length())).getBytes(StandardCharsets.UTF_8));
      case 1:
        { // one value replaced by another type
          int colon = nth(seed, ':', r);
          int end = valueEnd(seed, colon + 1);
          return new Mutated(
              "wrong-type",
              json,
              (seed.substring(0, colon + 1)
                      + VALUES[r.nextInt(VALUES.length)]
                      + seed.substring(end))
                  .getBytes(StandardCharsets.UTF_8));
        }
      case 2:
        return new Mutated(
            "huge-string",
            json,
            seed.replaceFirst(
                    "\"status\":\"[a-z]+\"",
                    "\"status\":\"" + "x".repeat(50_000 + r.nextInt(200_000)) + "\"")
                .getBytes(StandardCharsets.UTF_8));
      case 3:
        {
          int depth = 20 + r.nextInt(400);
          return new Mutated(
              "deep-" + depth,
              json,
              (seed.substring(0, seed.length() - 1)
                      + ",\"extension\":["
                      + "[".repeat(depth)
                      + "]".repeat(depth)
                      + "]}")
                  .getBytes(StandardCharsets.UTF_8));
        }
      case 4:
        return new Mutated(
            "unknown-type",
            json,
            seed.replaceFirst(
                    "\"resourceType\":\"[A-Za-z]+\"",
                    "\"resourceType\":\""
                        + new String[] {
                              "Spaceship", "Observation", "Binary", "AuditEvent", "Patient", ""
                            }
                            [r.nextInt(6)]
                        + "\"")
                .getBytes(StandardCharsets.UTF_8));
      case 5:
        return new Mutated(
            "xml-as-json",
            json,
            "<Appointment xmlns=\"http://hl7.org/fhir\"><status value=\"booked\"/></Appointment>"
                .getBytes(StandardCharsets.UTF_8));
      case 6:
        return new Mutated(
            "json-as-xml", "application/fhir+xml", seed.getBytes(StandardCharsets.UTF_8));
      case 7:
        return new Mutated(
            "content-type",
            new String[] {
                  "application/fhir+turtle",
                  "text/plain",
                  "application/octet-stream",
                  "multipart/form-data; boundary=x",
                  "application/x-www-form-urlencoded",
                  "image/png"
                }
                [r.nextInt(6)],
            seed.getBytes(StandardCharsets.UTF_8));
      case 8:
        return new Mutated(
            "bad-reference",
            json,
            seed.replaceFirst(
                    "\"reference\":\"[^\"]+\"",
                    "\"reference\":\""
                        + new String[] {
                              "Practitioner/1008?x=1",
                              "Patient/",
                              "//x",
                              "Patient/1/2/3",
                              "urn:uuid:nope",
                              "Patient/" + "9".repeat(70),
                              "Slot/123",
                              "Observation/1"
                            }
                            [r.nextInt(8)]
                        + "\"")
                .getBytes(StandardCharsets.UTF_8));
      case 9:
        return new Mutated(
            "duplicate-ids",
            json,
            seed.replace(
                    "\"resourceType\":\"Appointment\",",
                    "\"resourceType\":\"Appointment\",\"id\":\"dup-1\",")
                .replace(
                    "\"resourceType\":\"Encounter\",",
                    "\"resourceType\":\"Encounter\",\"id\":\"dup-1\",")
                .replace(
                    "urn:uuid:0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5\",\"resource\"",
                    "urn:uuid:0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5\",\"resource\"")
                .getBytes(StandardCharsets.UTF_8));
      case 10: // a transaction (or any body) with one bad entry: its Encounter without class or
        // subject
        return new Mutated(
            "one-bad-entry",
            json,
            seed.replace(
                    ",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"VR\"}",
                    ",\"class\":{\"code\":\"VR\"},\"status\":\"nonsense\"")
                .getBytes(StandardCharsets.UTF_8));
      case 11:
        { // random bytes flipped
          byte[] b = seed.getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < 1 + r.nextInt(5); i++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
          return new Mutated("bytes", json, b);
        }
      case 12: // a required element removed
        return new Mutated(
            "removed",
            json,
            seed.replaceFirst(
                    new String[] {
                          "\"status\":\"[a-z]+\",",
                          "\"start\":\"[^\"]+\",",
                          "\"participant\":\\[",
                          "\"class\":\\{[^}]*\\},"
                        }
                        [r.nextInt(4)],
                    "")
                .getBytes(StandardCharsets.UTF_8));
      default:
        return new Mutated("valid", json, seed.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The position of the k-th occurrence (k random) of c that starts a value. */
  static int nth(String s, char c, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c && i > 0 && s.charAt(i - 1) == '"') {
        at.add(i);
      }
    }
    return at.get(r.nextInt(at.size()));
  }

  /** Where the JSON value starting at i ends (a string, a number, or a balanced object/array). */
  static int valueEnd(String s, int i) {
    char c = s.charAt(i);
    if (c == '"') {
      int j = i + 1;
      while (s.charAt(j) != '"' || s.charAt(j - 1) == '\\') {
        j++;
      }
      return j + 1;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      boolean inString = false;
      for (int j = i; j < s.length(); j++) {
        char d = s.charAt(j);
        if (d == '"' && s.charAt(j - 1) != '\\') {
          inString = !inString;
        } else if (!inString && (d == '{' || d == '[')) {
          depth++;
        } else if (!inString && (d == '}' || d == ']') && --depth == 0) {
          return j + 1;
        }
      }
      return s.length();
    }
    int j = i;
    while (j < s.length() && ",}]".indexOf(s.charAt(j)) < 0) {
      j++;
    }
    return j;
  }

  private HttpResponse<String> send(String path, String contentType, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .header("Accept", "application/fhir+json")
            .header("Authorization", "Bearer " + systemToken())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String abbreviate(String s, int n) {
    return s.length() > n ? s.substring(0, n) + "…" : s;
  }
}
