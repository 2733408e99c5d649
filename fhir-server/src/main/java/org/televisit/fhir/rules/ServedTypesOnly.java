package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.televisit.fhir.ServedResourceTypes;

/**
 * The store keeps only what /fhir serves. A type outside {@link ServedResourceTypes}, or one a
 * module keeps in its own tables (AuditEvent), is refused when a client's request would write it to
 * HAPI's store by any path: a transaction or batch entry, a conditional write. HAPI's own internal
 * writes (no client request) are left alone.
 */
@Interceptor
public final class ServedTypesOnly {

  private final Set<String> servedElsewhere;

  public ServedTypesOnly(Set<String> servedElsewhere) {
    this.servedElsewhere = Set.copyOf(servedElsewhere);
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -100)
  public void created(IBaseResource resource, RequestDetails request) {
    check(resource, request);
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -100)
  public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    check(resource, request);
  }

  private void check(IBaseResource resource, RequestDetails request) {
    if (!(request instanceof ServletRequestDetails)) {
      return;
    }
    String type = resource.fhirType();
    if (!ServedResourceTypes.ALL.contains(type)) {
      throw new InvalidRequestException("Televisit does not store " + type + " resources.");
    }
    if (servedElsewhere.contains(type)) {
      throw new InvalidRequestException(
          type
              + " resources cannot be part of a transaction or batch: send each on its own"
              + " (POST /"
              + type
              + ").");
    }
  }
}
