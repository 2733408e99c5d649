package org.televisit.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closes the shared context when the test JVM exits. Spring's test cache does not, and the context
 * owns a child process (the local Janus) that would otherwise outlive the test run.
 */
public class ClosedAtExit implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    context.registerShutdownHook();
  }
}
