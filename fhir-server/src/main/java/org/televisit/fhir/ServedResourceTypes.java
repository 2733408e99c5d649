package org.televisit.fhir;

import java.util.List;

/**
 * The resource types Televisit serves at /fhir: what a virtual visit needs. Any other type is
 * refused (400) and absent from the CapabilityStatement; HAPI still keeps its internal DAOs
 * (terminology, validation) but exposes none of them.
 */
public final class ServedResourceTypes {

  public static final List<String> ALL =
      List.of(
          "Patient",
          "Practitioner",
          "PractitionerRole",
          "Organization",
          "Location",
          "Schedule",
          "Slot",
          "Appointment",
          "Encounter",
          "AuditEvent",
          "Provenance",
          "Communication",
          "Consent");

  private ServedResourceTypes() {}
}
