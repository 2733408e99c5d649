package org.televisit.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The one Spring context of the integration tests: Televisit on a real PostgreSQL, on a free port
 * picked up front ({@link FreePort}). Every integration test uses exactly this annotation and
 * nothing that changes the context (no MockBean, no DirtiesContext), so HAPI starts once per test
 * run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
// Boot's test support switches metrics export off; the Prometheus endpoint is part of what we test.
@AutoConfigureObservability
@ContextConfiguration(
    initializers = {
      FreePort.class,
      PostgresTestDatabase.class,
      SimulatedEhr.class,
      TestMailServer.class,
      ClosedAtExit.class
    })
@ActiveProfiles("it")
public @interface TelevisitIntegrationTest {}
