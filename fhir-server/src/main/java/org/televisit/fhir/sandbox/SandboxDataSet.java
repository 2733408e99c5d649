package org.televisit.fhir.sandbox;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;

/**
 * The sandbox clinic as one FHIR transaction of conditional creates: every resource carries a
 * sandbox identifier, so loading it again creates nothing that already exists. Slots and today's
 * appointments are keyed by date, so a later start adds only the days that are new.
 */
public final class SandboxDataSet {

  public static final String SYSTEM = "urn:televisit:sandbox";
  public static final String MRN_SYSTEM = "urn:televisit:sandbox:mrn";
  public static final int SLOT_MINUTES = 20;
  static final List<LocalTime[]> CLINIC_HOURS =
      List.of(
          new LocalTime[] {LocalTime.of(9, 0), LocalTime.of(12, 0)},
          new LocalTime[] {LocalTime.of(13, 0), LocalTime.of(17, 0)});

  record SandboxPatient(
      String mrn, String family, String given, String birthDate, AdministrativeGender gender) {}

  record SandboxPractitioner(
      String key, String prefix, String family, String given, String roleCode, String roleName) {}

  static final List<SandboxPatient> PATIENTS =
      List.of(
          new SandboxPatient(
              "MRN-1001", "Rivera", "Ana", "1984-03-12", AdministrativeGender.FEMALE),
          new SandboxPatient(
              "MRN-1002", "Okafor", "Chidi", "1969-11-02", AdministrativeGender.MALE),
          new SandboxPatient(
              "MRN-1003", "Lindqvist", "Maja", "2001-07-23", AdministrativeGender.FEMALE),
          new SandboxPatient("MRN-1004", "Tanaka", "Hiro", "1957-01-30", AdministrativeGender.MALE),
          new SandboxPatient(
              "MRN-1005", "Haddad", "Layla", "1992-05-17", AdministrativeGender.FEMALE),
          new SandboxPatient("MRN-1006", "Novak", "Jan", "2015-09-08", AdministrativeGender.MALE));

  static final List<SandboxPractitioner> PRACTITIONERS =
      List.of(
          new SandboxPractitioner("dr-moreau", "Dr.", "Moreau", "Claire", "doctor", "Doctor"),
          new SandboxPractitioner("dr-adeyemi", "Dr.", "Adeyemi", "Tunde", "doctor", "Doctor"),
          new SandboxPractitioner("np-kowalski", "NP", "Kowalski", "Eva", "nurse", "Nurse"));

  private final ZoneId zone;
  private final int slotDays;

  public SandboxDataSet(ZoneId zone, int slotDays) {
    this.zone = zone;
    this.slotDays = slotDays;
  }

  /**
   * The whole data set as of {@code now}: clinic, people, schedules, free slots, today's visits.
   */
  public Bundle asTransaction(ZonedDateTime now) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

    Organization organization = new Organization();
    organization.addIdentifier(identifier("organization-1"));
    organization.setName("Televisit Sandbox Clinic");
    String organizationRef = add(bundle, organization, "organization-1");

    Location location = new Location();
    location.addIdentifier(identifier("location-virtual"));
    location.setName("Virtual clinic");
    location.setMode(Location.LocationMode.INSTANCE);
    location
        .getPhysicalType()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/location-physical-type")
        .setCode("vi")
        .setDisplay("Virtual");
    location.setManagingOrganization(new Reference(organizationRef));
    String locationRef = add(bundle, location, "location-virtual");

    String[] patientRefs = new String[PATIENTS.size()];
    for (int i = 0; i < PATIENTS.size(); i++) {
      SandboxPatient p = PATIENTS.get(i);
      Patient patient = new Patient();
      patient.addIdentifier(mrn(p.mrn()));
      patient
          .addName()
          .setUse(HumanName.NameUse.OFFICIAL)
          .setFamily(p.family())
          .addGiven(p.given());
      patient.setBirthDateElement(new DateType(p.birthDate()));
      patient.setGender(p.gender());
      patient
          .addTelecom()
          .setSystem(ContactPoint.ContactPointSystem.EMAIL)
          .setValue(
              p.given().toLowerCase() + "." + p.family().toLowerCase() + "@patients.example.org");
      patient.setManagingOrganization(new Reference(organizationRef));
      patientRefs[i] =
          addConditional(bundle, patient, "Patient?identifier=" + MRN_SYSTEM + "|" + p.mrn());
    }

    String[] practitionerRefs = new String[PRACTITIONERS.size()];
    String[] scheduleRefs = new String[PRACTITIONERS.size()];
    for (int i = 0; i < PRACTITIONERS.size(); i++) {
      SandboxPractitioner p = PRACTITIONERS.get(i);
      Practitioner practitioner = new Practitioner();
      practitioner.addIdentifier(identifier("practitioner-" + p.key()));
      practitioner.addName().setFamily(p.family()).addGiven(p.given()).addPrefix(p.prefix());
      practitioner
          .addTelecom()
          .setSystem(ContactPoint.ContactPointSystem.EMAIL)
          .setValue(p.key() + "@clinic.example.org");
      practitionerRefs[i] = add(bundle, practitioner, "practitioner-" + p.key());

      PractitionerRole role = new PractitionerRole();
      role.addIdentifier(identifier("role-" + p.key()));
      role.setActive(true);
      role.setPractitioner(new Reference(practitionerRefs[i]));
      role.setOrganization(new Reference(organizationRef));
      role.addLocation(new Reference(locationRef));
      role.addCode(
          new CodeableConcept()
              .addCoding(
                  new Coding(
                      "http://terminology.hl7.org/CodeSystem/practitioner-role",
                      p.roleCode(),
                      p.roleName())));
      add(bundle, role, "role-" + p.key());

      Schedule schedule = new Schedule();
      schedule.addIdentifier(identifier("schedule-" + p.key()));
      schedule.setActive(true);
      schedule.addActor(new Reference(practitionerRefs[i]));
      schedule.addActor(new Reference(locationRef));
      schedule.addServiceType(virtualVisitType());
      schedule.setComment("Virtual visits, " + p.prefix() + " " + p.family());
      scheduleRefs[i] = add(bundle, schedule, "schedule-" + p.key());
    }

    LocalDate today = now.withZoneSameInstant(zone).toLocalDate();
    for (int day = 1; day <= slotDays; day++) {
      LocalDate date = today.plusDays(day);
      if (date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY) {
        continue;
      }
      for (int i = 0; i < PRACTITIONERS.size(); i++) {
        for (LocalTime[] hours : CLINIC_HOURS) {
          for (LocalTime t = hours[0]; t.isBefore(hours[1]); t = t.plusMinutes(SLOT_MINUTES)) {
            ZonedDateTime start = date.atTime(t).atZone(zone);
            addSlot(
                bundle, scheduleRefs[i], PRACTITIONERS.get(i).key(), start, Slot.SlotStatus.FREE);
          }
        }
      }
    }

    // A few of today's visits, the first one's link open the moment the clinic has loaded.
    ZonedDateTime first = firstVisitStart(now.withZoneSameInstant(zone));
    for (int k = 0; k < 4; k++) {
      ZonedDateTime start = first.plusMinutes(2L * SLOT_MINUTES * k);
      int practitioner = k % PRACTITIONERS.size();
      String key = "appointment-" + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + k;
      String slotRef =
          addSlot(
              bundle,
              scheduleRefs[practitioner],
              PRACTITIONERS.get(practitioner).key() + "-visit",
              start,
              Slot.SlotStatus.BUSY);
      Appointment appointment = new Appointment();
      appointment.addIdentifier(identifier(key));
      appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
      appointment.addServiceType(virtualVisitType());
      appointment.setDescription("Virtual follow-up visit");
      appointment.setStart(Date.from(start.toInstant()));
      appointment.setEnd(Date.from(start.plusMinutes(SLOT_MINUTES).toInstant()));
      appointment.setMinutesDuration(SLOT_MINUTES);
      appointment.addSlot(new Reference(slotRef));
      appointment
          .addParticipant()
          .setActor(new Reference(patientRefs[k % patientRefs.length]))
          .setRequired(Appointment.ParticipantRequired.REQUIRED)
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
      appointment
          .addParticipant()
          .setActor(new Reference(practitionerRefs[practitioner]))
          .setRequired(Appointment.ParticipantRequired.REQUIRED)
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
      appointment
          .addParticipant()
          .setActor(new Reference(locationRef))
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
      add(bundle, appointment, key);
    }
    return bundle;
  }

  /**
   * The slot running now when it began less than 5 minutes ago, else the next one (at most 15
   * minutes off: join links open 15 minutes before). Either way the link works at once, and the
   * visit is not swept as a no-show (15 minutes after its start) for at least 10 minutes.
   */
  static ZonedDateTime firstVisitStart(ZonedDateTime now) {
    ZonedDateTime hour = now.truncatedTo(ChronoUnit.HOURS);
    long minutes = ChronoUnit.MINUTES.between(hour, now);
    long current = (minutes / SLOT_MINUTES) * SLOT_MINUTES;
    return hour.plusMinutes(minutes - current < 5 ? current : current + SLOT_MINUTES);
  }

  private String addSlot(
      Bundle bundle, String scheduleRef, String key, ZonedDateTime start, Slot.SlotStatus status) {
    String id =
        "slot-"
            + key
            + "-"
            + start.toLocalDateTime().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
    Slot slot = new Slot();
    slot.addIdentifier(identifier(id));
    slot.setSchedule(new Reference(scheduleRef));
    slot.setStatus(status);
    slot.addServiceType(virtualVisitType());
    slot.setStart(Date.from(start.toInstant()));
    slot.setEnd(Date.from(start.plusMinutes(SLOT_MINUTES).toInstant()));
    return add(bundle, slot, id);
  }

  static CodeableConcept virtualVisitType() {
    return new CodeableConcept()
        .addCoding(new Coding(SYSTEM + ":service-type", "virtual-visit", "Virtual visit"))
        .setText("Virtual visit");
  }

  private static Identifier identifier(String value) {
    return new Identifier().setSystem(SYSTEM).setValue(value);
  }

  private static Identifier mrn(String value) {
    Identifier identifier = new Identifier().setSystem(MRN_SYSTEM).setValue(value);
    identifier
        .getType()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203")
        .setCode("MR")
        .setDisplay("Medical record number");
    return identifier;
  }

  private static String add(Bundle bundle, Resource resource, String identifierValue) {
    return addConditional(
        bundle, resource, resource.fhirType() + "?identifier=" + SYSTEM + "|" + identifierValue);
  }

  private static String addConditional(Bundle bundle, Resource resource, String matchUrl) {
    String fullUrl = "urn:uuid:" + UUID.randomUUID();
    bundle
        .addEntry()
        .setFullUrl(fullUrl)
        .setResource(resource)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl(resource.fhirType())
        .setIfNoneExist(matchUrl.substring(matchUrl.indexOf('?') + 1));
    return fullUrl;
  }
}
