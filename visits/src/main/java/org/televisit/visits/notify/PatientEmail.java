package org.televisit.visits.notify;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** A patient's e-mail address on file: the first telecom of system email. */
public final class PatientEmail {

  private PatientEmail() {}

  public static Optional<String> onFile(DaoRegistry daos, String patient) {
    if (patient == null || !patient.startsWith("Patient/")) {
      return Optional.empty();
    }
    try {
      Patient p =
          (Patient)
              daos.getResourceDao("Patient").read(new IdType(patient), new SystemRequestDetails());
      return p.getTelecom().stream()
          .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.EMAIL && t.hasValue())
          .map(ContactPoint::getValue)
          .findFirst();
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }
}
