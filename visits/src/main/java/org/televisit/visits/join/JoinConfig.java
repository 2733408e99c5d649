package org.televisit.visits.join;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.presence.Presence;
import org.televisit.visits.visit.VisitWorkflow;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JoinProperties.class)
class JoinConfig {

  /** /join/* is the join page's alone: a path mapping wins over Spring MVC's default "/". */
  @Bean
  ServletRegistrationBean<JoinPage> joinPage(
      JoinLinks links,
      JoinProperties properties,
      VisitAudit audit,
      DaoRegistry daos,
      VisitWorkflow workflow,
      Presence presence) {
    ServletRegistrationBean<JoinPage> registration =
        new ServletRegistrationBean<>(
            new JoinPage(links, properties, audit, daos, workflow, presence), "/join/*");
    registration.setName("join-page");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
