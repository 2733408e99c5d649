package org.televisit.fhir.rules;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * With deletes off (televisit.fhir.delete-enabled=false, the default) a DELETE is a blanket
 * refusal, which FHIR's RESTful API answers with 405 (HAPI itself would say 412). After the token
 * and scope checks, so a caller without the right is told that first. The CapabilityStatement lists
 * no delete.
 */
@Interceptor(order = 100)
public class RecordsAreKept {

  @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = 100)
  public void refuseDeletes(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.DELETE) {
      throw new MethodNotAllowedException(
          "Televisit keeps every record: a "
              + request.getResourceName()
              + " is not deleted but corrected by its status (for example cancelled or entered-in-error).",
          RequestTypeEnum.GET,
          RequestTypeEnum.PUT,
          RequestTypeEnum.PATCH);
    }
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void withoutDelete(IBaseConformance capabilities) {
    ((CapabilityStatement) capabilities)
        .getRest()
        .forEach(
            rest ->
                rest.getResource()
                    .forEach(
                        resource ->
                            resource
                                .getInteraction()
                                .removeIf(
                                    i ->
                                        i.getCode()
                                            == CapabilityStatement.TypeRestfulInteraction.DELETE)));
  }
}
