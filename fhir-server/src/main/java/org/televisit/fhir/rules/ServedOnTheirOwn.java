package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * Types a module serves from its own tables (AuditEvent) are not in HAPI's JPA store, so a
 * transaction or batch, which HAPI runs against that store, must not touch them: such a bundle is
 * refused whole (400) instead of writing to a store nobody reads. The CapabilityStatement describes
 * them as their providers serve them: read, search (with their own parameters) and create; an
 * update or delete is refused with 405.
 */
@Interceptor
public class ServedOnTheirOwn {

  private final Map<String, Set<String>> searchParameters;
  private final Set<String> types;

  /** The types served on their own, each with the search parameters its provider answers. */
  public ServedOnTheirOwn(Map<String, Set<String>> searchParameters) {
    this.searchParameters = Map.copyOf(searchParameters);
    this.types = this.searchParameters.keySet();
  }

  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = 0)
  public void refuseInBundles(RequestDetails request, RestOperationTypeEnum operation) {
    if ((operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH)
        || !(request.getResource() instanceof Bundle bundle)) {
      return;
    }
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      String url = entry.getRequest().getUrl();
      String type = url == null ? null : url.replaceFirst("^/", "").split("[/?]", 2)[0];
      String resourceType = entry.hasResource() ? entry.getResource().fhirType() : null;
      for (String t : new String[] {type, resourceType}) {
        if (t != null && types.contains(t)) {
          throw new InvalidRequestException(
              t
                  + " resources cannot be part of a transaction or batch: send each on its own"
                  + " (POST /"
                  + t
                  + ").");
        }
      }
    }
  }

  /**
   * HAPI answers 400 "unknown method" for an update or delete no provider offers: these types are
   * append-only, 405.
   */
  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException refuseChanges(RequestDetails request, Throwable exception) {
    RequestTypeEnum method = request.getRequestType();
    if (exception instanceof InvalidRequestException
        && request.getResourceName() != null
        && types.contains(request.getResourceName())
        && request.getOperation() == null
        && (method == RequestTypeEnum.PUT
            || method == RequestTypeEnum.DELETE
            || method == RequestTypeEnum.PATCH)) {
      return new MethodNotAllowedException(
          request.getResourceName()
              + " resources record what happened: they are"
              + " never changed or removed.",
          RequestTypeEnum.GET,
          RequestTypeEnum.POST);
    }
    return null;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance capabilities) {
    ((CapabilityStatement) capabilities)
        .getRest()
        .forEach(
            rest ->
                rest.getResource().stream()
                    .filter(resource -> types.contains(resource.getType()))
                    .forEach(
                        resource -> {
                          resource
                              .getInteraction()
                              .removeIf(
                                  i ->
                                      i.getCode() != TypeRestfulInteraction.READ
                                          && i.getCode() != TypeRestfulInteraction.SEARCHTYPE
                                          && i.getCode() != TypeRestfulInteraction.CREATE);
                          resource.setVersioning(
                              CapabilityStatement.ResourceVersionPolicy.NOVERSION);
                          resource
                              .setReadHistory(false)
                              .setUpdateCreate(false)
                              .setConditionalCreate(false)
                              .setConditionalUpdate(false)
                              .setConditionalDelete(
                                  CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED)
                              .getSearchRevInclude()
                              .clear();
                          resource.getSearchInclude().clear();
                          resource
                              .getSearchParam()
                              .removeIf(
                                  p ->
                                      !searchParameters
                                          .get(resource.getType())
                                          .contains(p.getName()));
                        }));
  }
}
