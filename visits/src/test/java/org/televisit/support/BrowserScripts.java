package org.televisit.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripts from the npm registry that the browser tests load into pages: `./televisit test` fetches
 * them into .cache/npm and names each file in an environment variable (TELEVISIT_AXE_JS,
 * TELEVISIT_FHIRCLIENT_JS); run from an IDE, the same files are found under .cache/npm.
 */
public final class BrowserScripts {

  private static final Map<String, String> read = new ConcurrentHashMap<>();

  private BrowserScripts() {}

  /** axe-core's axe.min.js. */
  public static String axe() {
    return script("TELEVISIT_AXE_JS", "axe-core-", "package/axe.min.js");
  }

  /** The SMART JS client's browser build (FHIR.oauth2...). */
  public static String fhirClient() {
    return script("TELEVISIT_FHIRCLIENT_JS", "fhirclient-", "package/build/fhir-client.min.js");
  }

  private static String script(String variable, String packagePrefix, String inPackage) {
    return read.computeIfAbsent(
        variable,
        v -> {
          Path file = Path.of(System.getenv().getOrDefault(v, ""));
          if (!Files.isRegularFile(file)) {
            file = cached(packagePrefix, inPackage);
          }
          if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalStateException(
                packagePrefix
                    + "* is missing ("
                    + v
                    + ", .cache/npm): run ./televisit test, which fetches it with npm");
          }
          try {
            return Files.readString(file);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static Path cached(String packagePrefix, String inPackage) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("televisit"))) {
      dir = dir.getParent();
    }
    if (dir == null || !Files.isDirectory(dir.resolve(".cache/npm"))) {
      return null;
    }
    try (var entries = Files.list(dir.resolve(".cache/npm"))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(packagePrefix))
          .sorted()
          .map(p -> p.resolve(inPackage))
          .filter(Files::isRegularFile)
          .reduce((a, b) -> b)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }
}
