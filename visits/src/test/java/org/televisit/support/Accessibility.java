package org.televisit.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (npm, installed by ./televisit test into .cache/axe) run inside a page: the WCAG 2.1 A/AA
 * rules and best practices, every impact. Returns one line per violation: rule, impact, how many
 * nodes, the first node's selector.
 */
public final class Accessibility {

  private static String axe;

  private Accessibility() {}

  public static synchronized String script() throws Exception {
    if (axe == null) {
      String where = System.getenv().getOrDefault("TELEVISIT_AXE_JS", "");
      Path file = where.isEmpty() ? repository().resolve(".cache/axe/node_modules/axe-core/axe.min.js") : Path.of(where);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("axe-core is missing (" + file + "): run ./televisit test, which installs it with npm");
      }
      axe = Files.readString(file);
    }
    return axe;
  }

  @SuppressWarnings("unchecked")
  public static List<String> violations(WebDriver driver) throws Exception {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined';"))) {
      js.executeScript(script());
    }
    Object found = js.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v =>
          v.id + ' (' + v.impact + ', ' + v.nodes.length + ' node(s), e.g. ' + v.nodes[0].target.join(' ') + '): ' + v.help)))
          .catch(e => done(['axe failed: ' + e]));
        """);
    return (List<String>) found;
  }

  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("televisit"))) {
      dir = dir.getParent();
    }
    return dir == null ? Path.of("") : dir;
  }
}
