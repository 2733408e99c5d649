package org.televisit.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.televisit.fhir.limits.FhirRequestLimits;
import org.televisit.fhir.limits.RequestLimits;
import org.televisit.fhir.rules.BaseValidation;
import org.televisit.fhir.rules.DatabaseUnreachable;
import org.televisit.fhir.rules.ParserFailuresAreBadRequests;
import org.televisit.fhir.rules.RecordsAreKept;
import org.televisit.fhir.rules.RecordsDoNotBlockDeletes;
import org.televisit.fhir.rules.ServedOnTheirOwn;
import org.televisit.fhir.rules.ServedTypesOnly;
import org.televisit.fhir.rules.UnknownResourceTypeInterceptor;
import org.televisit.fhir.rules.WellFormedReferences;
import org.televisit.fhir.scheduling.DoubleBookingGuard;
import org.televisit.fhir.scheduling.SchedulingConfig;
import org.televisit.fhir.scheduling.SchedulingOperations;
import org.televisit.fhir.scheduling.SlotStatus;

/** The HTTP face of the FHIR store: one HAPI RestfulServer mounted at televisit.fhir.path. */
@Configuration
public class FhirEndpointConfig {

  /**
   * Other modules add their own interceptors (SMART scope enforcement, scheduling rules) as beans
   * of this type; the endpoint registers all of them.
   */
  public interface FhirServerInterceptor {}

  /**
   * A resource type another module serves from its own tables instead of HAPI's JPA store (the
   * audit trail serves AuditEvent). The endpoint registers it in place of the JPA provider of that
   * type.
   */
  public interface ModuleResourceProvider extends IResourceProvider {
    /**
     * The search parameters it answers: the CapabilityStatement lists these, not the JPA store's.
     */
    Set<String> searchParameters();
  }

  /**
   * Storage rules go to HAPI's global interceptor service so they also guard writes made
   * in-process.
   */
  @Bean
  public RecordsDoNotBlockDeletes recordsDoNotBlockDeletes(IInterceptorService interceptors) {
    var records = new RecordsDoNotBlockDeletes();
    interceptors.registerInterceptor(records);
    return records;
  }

  /**
   * The one chain every Appointment and Encounter write goes through (see {@link BookingPipeline}),
   * on HAPI's global interceptor service so it also guards writes made in-process. Base validation
   * is switched off only by televisit.fhir.validation-enabled; the visit rules and scheduling steps
   * only by the benchmarks' baseline class on the class path (never in the jar).
   */
  @Bean
  public BookingPipeline bookingPipeline(
      RequestLimits limits,
      FhirContext fhirContext,
      FhirServerProperties properties,
      IInterceptorService interceptors,
      ObjectProvider<DoubleBookingGuard> guard,
      ObjectProvider<SlotStatus> slots,
      ObjectProvider<BookingEvents> events) {
    boolean visitRules =
        !ClassUtils.isPresent(SchedulingConfig.WITHOUT_VISIT_RULES, getClass().getClassLoader());
    BookingPipeline pipeline =
        new BookingPipeline(
            visitRules,
            properties.validationEnabled()
                ? BaseValidation.forVisitResources(fhirContext, limits.validationBudget())
                : null,
            guard.getIfAvailable(),
            slots.getIfAvailable(),
            events.orderedStream().toList());
    interceptors.registerInterceptor(pipeline);
    return pipeline;
  }

  /** Size, format, depth and count limits before HAPI parses a body (see FhirRequestLimits). */
  @Bean
  public FilterRegistrationBean<FhirRequestLimits> fhirRequestLimits(
      RequestLimits limits, FhirServerProperties properties) {
    var registration = new FilterRegistrationBean<>(new FhirRequestLimits(limits));
    registration.addUrlPatterns(properties.path() + "/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20); // after CORS, before anything reads
    return registration;
  }

  /**
   * Only the served types are stored, whatever path a write takes (a transaction or batch entry
   * too).
   */
  @Bean
  public ServedTypesOnly servedTypesOnly(
      IInterceptorService interceptors,
      ObjectProvider<ModuleResourceProvider> moduleProviders,
      FhirContext fhirContext) {
    Set<String> own = new HashSet<>();
    moduleProviders
        .orderedStream()
        .forEach(p -> own.add(fhirContext.getResourceType(p.getResourceType())));
    var rule = new ServedTypesOnly(own);
    interceptors.registerInterceptor(rule);
    return rule;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(
      FhirContext fhirContext,
      FhirServerProperties properties,
      ResourceProviderFactory resourceProviders,
      JpaSystemProvider<?, ?> systemProvider,
      IFhirSystemDao<?, ?> systemDao,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      ObjectProvider<FhirServerInterceptor> moduleInterceptors,
      ObjectProvider<ModuleResourceProvider> moduleProviders,
      ObjectProvider<SchedulingOperations> schedulingOperations) {
    RestfulServer server = new RestfulServer(fhirContext);
    server.setServerName("Televisit FHIR");
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setDefaultPrettyPrint(false);
    List<ModuleResourceProvider> ownProviders = moduleProviders.orderedStream().toList();
    Map<String, Set<String>> ownTypes = new HashMap<>();
    ownProviders.forEach(
        p -> ownTypes.put(fhirContext.getResourceType(p.getResourceType()), p.searchParameters()));
    // HAPI keeps a DAO per type for its own use (terminology, validation); only the visit types are
    // served.
    for (Object provider : resourceProviders.createProviders()) {
      if (provider instanceof IResourceProvider typed) {
        String type = fhirContext.getResourceType(typed.getResourceType());
        if (ServedResourceTypes.ALL.contains(type) && !ownTypes.containsKey(type)) {
          server.registerProvider(provider);
        }
      }
    }
    ownProviders.forEach(server::registerProvider);
    server.registerProvider(systemProvider);
    schedulingOperations.ifAvailable(server::registerProvider);
    pagingProvider.setDefaultPageSize(properties.defaultPageSize());
    pagingProvider.setMaximumPageSize(properties.maximumPageSize());
    server.setPagingProvider(pagingProvider);
    JpaCapabilityStatementProvider capabilities =
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription("Televisit FHIR R4 server");
    server.setServerConformanceProvider(capabilities);

    // a person reading /fhir in a browser gets a page, not a download
    server.registerInterceptor(new ResponseHighlighterInterceptor());
    server.registerInterceptor(new UnknownResourceTypeInterceptor());
    server.registerInterceptor(new ParserFailuresAreBadRequests());
    server.registerInterceptor(new DatabaseUnreachable());
    server.registerInterceptor(new WellFormedReferences(fhirContext));
    if (!ownTypes.isEmpty()) {
      server.registerInterceptor(new ServedOnTheirOwn(ownTypes));
    }
    if (!properties.deleteEnabled()) {
      server.registerInterceptor(new RecordsAreKept());
    }
    moduleInterceptors.orderedStream().forEach(server::registerInterceptor);

    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, properties.path() + "/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
