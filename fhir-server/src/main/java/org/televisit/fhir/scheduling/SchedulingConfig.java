package org.televisit.fhir.scheduling;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.televisit.fhir.Database;
import org.televisit.smart.server.ServerUrls;

/**
 * Scheduling on /fhir: the double-booking guard and Slot status (steps of the BookingPipeline), the
 * virtual service stamp and the scheduling operations. Off only when the benchmarks' baseline class
 * {@link #WITHOUT_VISIT_RULES} is on the class path (bench/baseline, never in the jar): no property
 * of a deployment switches them off.
 */
@Configuration
@EnableScheduling
@ConditionalOnMissingClass(SchedulingConfig.WITHOUT_VISIT_RULES)
public class SchedulingConfig {

  public static final String WITHOUT_VISIT_RULES = "org.televisit.bench.WithoutVisitRules";

  @Bean
  public VirtualServiceStamp virtualServiceStamp(
      ServerUrls urls, IInterceptorService interceptors) {
    VirtualServiceStamp stamp =
        new VirtualServiceStamp(urls.fhirBase().toString().replaceAll("/fhir$", "") + "/visit", 4);
    interceptors.registerInterceptor(stamp);
    return stamp;
  }

  @Bean
  public SchedulingOperations schedulingOperations(
      DaoRegistry daos,
      DataSource dataSource,
      PlatformTransactionManager transactions,
      @Value("${televisit.scheduling.hold-for:PT5M}") Duration holdFor) {
    return new SchedulingOperations(daos, new JdbcTemplate(dataSource), transactions, holdFor);
  }

  @Bean
  public SlotStatus slotStatus(DaoRegistry daos) {
    return new SlotStatus(daos);
  }

  @Bean
  public DoubleBookingGuard doubleBookingGuard(DataSource dataSource, DaoRegistry daos) {
    return new DoubleBookingGuard(
        new JdbcTemplate(dataSource),
        Database.of(dataSource) == Database.POSTGRESQL,
        new Calendars(daos));
  }
}
