package org.televisit.fhir.scheduling;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scheduling on /fhir: the double-booking guard and Slot status (steps of the BookingPipeline), the
 * virtual service stamp and the scheduling operations. Off only when the benchmarks' baseline class
 * {@link #WITHOUT_VISIT_RULES} is on the class path (bench/baseline, never in the jar): no property
 * of a deployment switches them off.
 */
@Configuration
@org.springframework.scheduling.annotation.EnableScheduling
@org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass(
    SchedulingConfig.WITHOUT_VISIT_RULES)
public class SchedulingConfig {

  public static final String WITHOUT_VISIT_RULES = "org.televisit.bench.WithoutVisitRules";

  @Bean
  public VirtualServiceStamp virtualServiceStamp(
      org.televisit.smart.server.ServerUrls urls, IInterceptorService interceptors) {
    VirtualServiceStamp stamp =
        new VirtualServiceStamp(urls.fhirBase().toString().replaceAll("/fhir$", "") + "/visit", 4);
    interceptors.registerInterceptor(stamp);
    return stamp;
  }

  @Bean
  public SchedulingOperations schedulingOperations(
      ca.uhn.fhir.jpa.api.dao.DaoRegistry daos,
      DataSource dataSource,
      org.springframework.transaction.PlatformTransactionManager transactions,
      @org.springframework.beans.factory.annotation.Value("${televisit.scheduling.hold-for:PT5M}")
          java.time.Duration holdFor) {
    return new SchedulingOperations(daos, new JdbcTemplate(dataSource), transactions, holdFor);
  }

  @Bean
  public SlotStatus slotStatus(ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) {
    return new SlotStatus(daos);
  }

  @Bean
  public DoubleBookingGuard doubleBookingGuard(
      DataSource dataSource, ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) throws SQLException {
    boolean postgres;
    try (Connection c = dataSource.getConnection()) {
      postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    }
    return new DoubleBookingGuard(new JdbcTemplate(dataSource), postgres, new Calendars(daos));
  }
}
