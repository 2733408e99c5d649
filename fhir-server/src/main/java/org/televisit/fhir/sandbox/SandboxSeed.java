package org.televisit.fhir.sandbox;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * Loads the sandbox clinic once Televisit serves requests, on a thread of its own: a first start
 * does not wait ~10 s for demo data, and every later start only confirms it is there. Creates only
 * what is missing.
 */
public class SandboxSeed {

  /** Marks the seed's own writes in RequestDetails user data. */
  public static final String SEED_MARK = "televisit.sandbox.seed";

  private static final Logger log = LoggerFactory.getLogger(SandboxSeed.class);

  private final IFhirSystemDao<Bundle, Meta> systemDao;
  private final SandboxProperties properties;
  private final CompletableFuture<SeedResult> startupLoad = new CompletableFuture<>();
  private volatile ZonedDateTime lastLoadedAt;

  private final ApplicationEventPublisher events;

  public SandboxSeed(
      IFhirSystemDao<Bundle, Meta> systemDao,
      SandboxProperties properties,
      ApplicationEventPublisher events) {
    this.events = events;
    this.systemDao = systemDao;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void loadInBackground() {
    Thread loader =
        new Thread(
            () -> {
              try {
                lastLoadedAt = ZonedDateTime.now(properties.zoneOrDefault());
                SeedResult result = seed(lastLoadedAt);
                log.info(
                    "Sandbox data set ready: {} resources created, {} already present ({} ms)",
                    result.created(),
                    result.existing(),
                    result.millis());
                startupLoad.complete(result);
                events.publishEvent(new SandboxLoaded(result.created(), result.existing()));
              } catch (RuntimeException e) {
                log.error("Loading the sandbox data set failed: {}", e.getMessage(), e);
                startupLoad.completeExceptionally(e);
              }
            },
            "sandbox-seed");
    loader.setDaemon(true);
    loader.start();
  }

  /** Waits for the start-up load; for tests and for pages that need the sandbox people. */
  public SeedResult awaitStartupLoad(Duration timeout) throws Exception {
    return startupLoad.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The instant of the start-up load: the data set's "today" and its slot days count from it. */
  public ZonedDateTime lastLoadedAt() {
    return lastLoadedAt;
  }

  public record SeedResult(int created, int existing, long millis) {}

  public SeedResult seed(ZonedDateTime now) {
    long started = System.nanoTime();
    log.info("Loading the sandbox data set (conditional creates; existing resources are kept)...");
    Bundle transaction =
        new SandboxDataSet(properties.zoneOrDefault(), properties.slotDays()).asTransaction(now);
    SystemRequestDetails request = new SystemRequestDetails();
    // the demo visits are not real bookings: no join-link e-mails or booking audit for them
    request.getUserData().put(SEED_MARK, Boolean.TRUE);
    Bundle response = systemDao.transaction(request, transaction);
    int created = 0;
    for (Bundle.BundleEntryComponent entry : response.getEntry()) {
      if (entry.getResponse().getStatus() != null
          && entry.getResponse().getStatus().startsWith("201")) {
        created++;
      }
    }
    return new SeedResult(
        created, response.getEntry().size() - created, (System.nanoTime() - started) / 1_000_000);
  }
}
