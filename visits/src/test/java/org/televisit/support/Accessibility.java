package org.televisit.support;

import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (npm, fetched by ./televisit test: {@link BrowserScripts}) run inside a page: the WCAG
 * 2.1 A/AA rules and best practices, every impact. Returns one line per violation: rule, impact,
 * how many nodes, the first node's selector.
 */
public final class Accessibility {

  private Accessibility() {}

  @SuppressWarnings("unchecked")
  public static List<String> violations(WebDriver driver) throws Exception {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined';"))) {
      js.executeScript(BrowserScripts.axe());
    }
    Object found =
        js.executeAsyncScript(
            """
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v =>
          v.id + ' (' + v.impact + ', ' + v.nodes.length + ' node(s), e.g. ' + v.nodes[0].target.join(' ') + '): ' + v.help)))
          .catch(e => done(['axe failed: ' + e]));
        """);
    return (List<String>) found;
  }
}
