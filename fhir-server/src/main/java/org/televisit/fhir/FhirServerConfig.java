package org.televisit.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.televisit.fhir.limits.RequestLimits;

/**
 * HAPI FHIR R4 JPA storage inside Spring Boot. HAPI brings its own entity manager; Boot's
 * DataSource and the spring.jpa.properties are handed to it, so one switch (the DataSource URL)
 * moves everything between H2 and PostgreSQL.
 */
@Configuration
@Import({
  JpaR4Config.class,
  HapiJpaConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  ThreadPoolFactoryConfig.class,
  SubscriptionChannelConfig.class,
  FhirEndpointConfig.class
})
@EnableConfigurationProperties({FhirServerProperties.class, RequestLimits.class})
public class FhirServerConfig {

  @Bean
  public JpaStorageSettings storageSettings(FhirServerProperties properties) {
    JpaStorageSettings settings = new JpaStorageSettings();
    // DELETE is refused (405) unless televisit.fhir.delete-enabled: records of visits, audit and
    // provenance stay, corrected by status. With deletes off HAPI may cache the id of every
    // resource
    // a write references instead of querying each one: validated creates +20-45 %
    // (docs/benchmarks.md).
    settings.setDeleteEnabled(properties.deleteEnabled());
    settings.setAllowMultipleDelete(false);
    settings.setExpungeEnabled(false);
    settings.setDeleteExpungeEnabled(false);
    settings.setAdvancedHSearchIndexing(false);
    settings.setHibernateSearchIndexSearchParams(false);
    settings.setStoreResourceInHSearchIndex(false);
    // Visits reference each other by server id; a dangling reference is a bug, not data.
    settings.setEnforceReferentialIntegrityOnWrite(true);
    settings.setEnforceReferentialIntegrityOnDelete(true);
    settings.setAutoCreatePlaceholderReferenceTargets(false);
    // A repeated identical search (the console polls) may reuse the cached result for a moment
    // only.
    settings.setReuseCachedSearchResultsForMillis(1000L);
    return settings;
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    return new SubscriptionSettings();
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      DataSource dataSource,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      JpaProperties jpaProperties) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(
            beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    Map<String, Object> properties = new HashMap<>(jpaProperties.getProperties());
    properties.putIfAbsent("hibernate.dialect", dialectFor(dataSource));
    properties.putIfAbsent("hibernate.hbm2ddl.auto", "update");
    properties.putIfAbsent("hibernate.search.enabled", "false");
    factory.setJpaPropertyMap(properties);
    return factory;
  }

  @Primary
  @Bean
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  /** Picks HAPI's dialect from the database the DataSource actually reaches. */
  static String dialectFor(DataSource dataSource) {
    return Database.of(dataSource).hapiDialect();
  }
}
