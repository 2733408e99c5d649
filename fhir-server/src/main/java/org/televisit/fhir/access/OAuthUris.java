package org.televisit.fhir.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.televisit.fhir.FhirEndpointConfig;
import org.televisit.smart.server.ServerUrls;

/**
 * Announces the authorization server in /fhir/metadata: rest.security.service SMART-on-FHIR and the
 * oauth-uris extension (authorize, token, introspect, revoke), as SMART App Launch asks.
 */
@Interceptor
public class OAuthUris implements FhirEndpointConfig.FhirServerInterceptor {

  static final String EXTENSION =
      "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

  private final ServerUrls urls;

  public OAuthUris(ServerUrls urls) {
    this.urls = urls;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void announce(IBaseConformance conformance) {
    if (!(conformance instanceof CapabilityStatement statement) || statement.getRest().isEmpty()) {
      return;
    }
    CapabilityStatement.CapabilityStatementRestSecurityComponent security =
        statement.getRestFirstRep().getSecurity();
    security.setCors(true);
    security.getService().clear();
    security.addService(
        new CodeableConcept()
            .addCoding(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "SMART-on-FHIR",
                    "SMART on FHIR")));
    security.setDescription(
        "OAuth2 with SMART App Launch 2.x: bearer tokens from this server's authorization endpoints");
    security.getExtension().removeIf(e -> EXTENSION.equals(e.getUrl()));
    Extension oauth = security.addExtension().setUrl(EXTENSION);
    oauth.addExtension("authorize", new UriType(urls.authorize().toString()));
    oauth.addExtension("token", new UriType(urls.token().toString()));
    oauth.addExtension("introspect", new UriType(urls.introspect().toString()));
    oauth.addExtension("revoke", new UriType(urls.revoke().toString()));
  }
}
