package org.televisit.visits.sandbox;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * What the sandbox EHR shows and launches with, read straight from Televisit's FHIR store (as the
 * EHR itself, not through /fhir): practitioners, patients, today's appointments, and the planned
 * Encounter an EHR keeps for a scheduled visit.
 */
@Component
class SandboxDirectory {

  record Person(String reference, String name) {}

  record Visit(
      String appointment, String patient, String practitioner, Date start, String patientName) {}

  private final DaoRegistry daos;

  SandboxDirectory(DaoRegistry daos) {
    this.daos = daos;
  }

  List<Person> practitioners() {
    return search(Practitioner.class, new SearchParameterMap()).stream()
        .map(r -> (Practitioner) r)
        .map(
            p ->
                new Person(
                    "Practitioner/" + p.getIdElement().getIdPart(), name(p.getNameFirstRep())))
        .toList();
  }

  List<Person> patients() {
    return search(Patient.class, new SearchParameterMap()).stream()
        .map(r -> (Patient) r)
        .map(p -> new Person("Patient/" + p.getIdElement().getIdPart(), name(p.getNameFirstRep())))
        .toList();
  }

  List<Visit> todaysVisits(ZoneId zone) {
    LocalDate today = LocalDate.now(zone);
    SearchParameterMap map = new SearchParameterMap();
    map.add(
        Appointment.SP_DATE,
        new DateRangeParam(
            Date.from(today.atStartOfDay(zone).toInstant()),
            Date.from(today.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1))));
    map.setSort(new SortSpec(Appointment.SP_DATE));
    return search(Appointment.class, map).stream()
        .map(r -> (Appointment) r)
        .filter(
            a ->
                a.getStatus() == Appointment.AppointmentStatus.BOOKED
                    || a.getStatus() == Appointment.AppointmentStatus.ARRIVED)
        .map(
            a ->
                new Visit(
                    "Appointment/" + a.getIdElement().getIdPart(),
                    actor(a, "Patient"),
                    actor(a, "Practitioner"),
                    a.getStart(),
                    exists("Patient", actor(a, "Patient"))
                        .map(p -> name(((Patient) p).getNameFirstRep()))
                        .orElse("?")))
        .toList();
  }

  Optional<IBaseResource> exists(String type, String reference) {
    if (reference == null || !reference.startsWith(type + "/")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          daos.getResourceDao(type).read(new IdType(reference), new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException | InvalidRequestException e) {
      return Optional.empty();
    }
  }

  /** The visit's Encounter: the one already tied to the appointment, else a planned virtual one. */
  String encounterFor(Appointment appointment, String patient, String practitioner) {
    String reference = "Appointment/" + appointment.getIdElement().getIdPart();
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(Encounter.SP_APPOINTMENT, new ReferenceParam(reference));
    List<IBaseResource> found = search(Encounter.class, map);
    if (!found.isEmpty()) {
      return "Encounter/" + found.get(0).getIdElement().getIdPart();
    }
    Encounter e = new Encounter();
    e.setStatus(Encounter.EncounterStatus.PLANNED);
    e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
    e.setSubject(new Reference(patient));
    e.addParticipant().setIndividual(new Reference(practitioner));
    e.addAppointment(new Reference(reference));
    appointment.getServiceType().stream().findFirst().ifPresent(t -> e.addType(t.copy()));
    IFhirResourceDao<Encounter> dao = daos.getResourceDao(Encounter.class);
    return "Encounter/" + dao.create(e, new SystemRequestDetails()).getId().getIdPart();
  }

  Optional<Appointment> appointment(String reference) {
    return exists("Appointment", reference).map(Appointment.class::cast);
  }

  static String actor(Appointment a, String type) {
    return a.getParticipant().stream()
        .map(p -> p.getActor().getReference())
        .filter(r -> r != null && r.startsWith(type + "/"))
        .findFirst()
        .orElse(null);
  }

  private <T extends IBaseResource> List<IBaseResource> search(
      Class<T> type, SearchParameterMap map) {
    map.setLoadSynchronous(true);
    map.setCount(200);
    IBundleProvider result = daos.getResourceDao(type).search(map, new SystemRequestDetails());
    return result.getResources(0, 200);
  }

  private static String name(HumanName name) {
    String text = name.getNameAsSingleString();
    return text == null || text.isBlank() ? "(no name)" : text;
  }
}
