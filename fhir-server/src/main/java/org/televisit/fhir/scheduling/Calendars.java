package org.televisit.fhir.scheduling;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whose calendars an Appointment takes time from: the people, however the Appointment names them.
 * Practitioner/X is X's; PractitionerRole/Y is its practitioner's (X booked as a role and as
 * themselves is one calendar); an actor given only by identifier is looked up as a Practitioner or
 * PractitionerRole with that identifier. An identifier that names no one Televisit knows is refused
 * (422) when the actor says it is a practitioner, and otherwise takes no calendar (a patient, an
 * invited guest).
 */
public final class Calendars {

  private final DaoRegistry daos;

  public Calendars(DaoRegistry daos) {
    this.daos = daos;
  }

  /** Sorted, so two bookings that share people lock their calendars in the same order. */
  public Set<String> of(Appointment appointment) {
    Set<String> calendars = new TreeSet<>();
    for (Appointment.AppointmentParticipantComponent p : appointment.getParticipant()) {
      if (p.getStatus() == Appointment.ParticipationStatus.DECLINED) {
        continue;
      }
      Reference actor = p.getActor();
      String ref = actor.getReferenceElement().toUnqualifiedVersionless().getValue();
      if (ref != null) {
        if (ref.startsWith("Practitioner/")) {
          calendars.add(ref);
        } else if (ref.startsWith("PractitionerRole/")) {
          calendars.add(practitionerOf(ref).orElse(ref));
        }
      } else if (actor.hasIdentifier()) {
        byIdentifier(actor).ifPresent(calendars::add);
      }
    }
    return calendars;
  }

  /** The calendar of the one practitioner whose calendar $find is asked about. */
  public String ofActor(String reference) {
    return reference.startsWith("PractitionerRole/")
        ? practitionerOf(reference).orElse(reference)
        : reference;
  }

  /**
   * The practitioner a PractitionerRole of the store is for; empty for an unknown role or one
   * without a practitioner.
   */
  public Optional<String> practitionerOf(String roleRef) {
    try {
      PractitionerRole role =
          (PractitionerRole)
              daos.getResourceDao("PractitionerRole")
                  .read(new IdType(roleRef), new SystemRequestDetails());
      String practitioner =
          role.getPractitioner().getReferenceElement().toUnqualifiedVersionless().getValue();
      return Optional.ofNullable(practitioner).filter(r -> r.startsWith("Practitioner/"));
    } catch (BaseServerResponseException unknown) {
      return Optional.empty();
    }
  }

  private Optional<String> byIdentifier(Reference actor) {
    Identifier id = actor.getIdentifier();
    String type = actor.getType();
    boolean saysPractitioner = "Practitioner".equals(type) || "PractitionerRole".equals(type);
    if (!id.hasValue()) {
      if (saysPractitioner) {
        throw unknown();
      }
      return Optional.empty();
    }
    List<IBaseResource> practitioners = find("Practitioner", id);
    if (practitioners.size() == 1) {
      return Optional.of("Practitioner/" + practitioners.get(0).getIdElement().getIdPart());
    }
    List<IBaseResource> roles = practitioners.isEmpty() ? find("PractitionerRole", id) : List.of();
    if (roles.size() == 1) {
      String role = "PractitionerRole/" + roles.get(0).getIdElement().getIdPart();
      return Optional.of(practitionerOf(role).orElse(role));
    }
    if (saysPractitioner || practitioners.size() > 1 || roles.size() > 1) {
      throw unknown();
    }
    return Optional.empty();
  }

  private List<IBaseResource> find(String type, Identifier id) {
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(
            "identifier", new TokenParam(id.getSystem(), id.getValue()));
    map.setCount(2);
    return daos.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources();
  }

  private static UnprocessableEntityException unknown() {
    return new UnprocessableEntityException(
        "A practitioner of this Appointment is named only by an identifier that matches"
            + " no single Practitioner or PractitionerRole: name them by reference (Practitioner/{id}), so that their calendar"
            + " is kept free of double bookings.");
  }
}
