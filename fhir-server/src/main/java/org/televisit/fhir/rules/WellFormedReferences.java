package org.televisit.fhir.rules;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Every reference in a client's body is one FHIR knows: Type/id (with an optional history version),
 * a conditional Type?search, #contained, urn:uuid: / urn:oid:, or an absolute URL. Anything else
 * (Practitioner/1008?x=1) used to reach the store's reference handling and end in a 500.
 */
@Interceptor
public final class WellFormedReferences {

  private static final Pattern TYPE_AND_ID =
      Pattern.compile(
          "[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");
  private static final Pattern CONDITIONAL = Pattern.compile("[A-Z][A-Za-z]{1,63}\\?[^\\s]+");
  private static final Pattern LOCAL = Pattern.compile("#[A-Za-z0-9\\-.]{0,64}");
  private static final Pattern URN =
      Pattern.compile("urn:(uuid:[0-9a-fA-F\\-]{36}|oid:[0-2](\\.[0-9]+)+)");
  private static final Pattern ABSOLUTE =
      Pattern.compile(
          "https?://[^\\s?#]+/[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");

  private final FhirTerser terser;

  public WellFormedReferences(FhirContext fhir) {
    this.terser = fhir.newTerser();
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void check(RequestDetails request) {
    IBaseResource resource = request.getResource();
    if (resource instanceof Bundle bundle) {
      bundle
          .getEntry()
          .forEach(
              e -> {
                if (e.hasResource()) {
                  checkResource(e.getResource());
                }
              });
    } else if (resource != null) {
      checkResource(resource);
    }
  }

  private void checkResource(IBaseResource resource) {
    for (IBaseReference ref :
        terser.getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
      String value = ref.getReferenceElement().getValueAsString();
      if (value != null && !wellFormed(value)) {
        throw new InvalidRequestException(
            "A reference must be Type/id, a conditional Type?search, #contained, a urn:uuid:"
                + " or urn:oid:, or an absolute URL; one in this "
                + resource.fhirType()
                + " is none of these.");
      }
    }
  }

  static boolean wellFormed(String value) {
    return TYPE_AND_ID.matcher(value).matches()
        || CONDITIONAL.matcher(value).matches()
        || LOCAL.matcher(value).matches()
        || URN.matcher(value).matches()
        || ABSOLUTE.matcher(value).matches();
  }
}
