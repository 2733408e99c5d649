package org.televisit.visits.visit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.fhir.Appointments;
import org.televisit.fhir.scheduling.Calendars;
import org.televisit.video.rooms.JoinData;
import org.televisit.video.rooms.VideoRooms;
import org.televisit.video.rooms.VideoUnavailable;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.presence.Presence;
import org.televisit.visits.video.VideoBackend;

/**
 * The visit itself, in Televisit's FHIR store: start (find-or-create the VR Encounter in progress,
 * the room, the clinician admitted), the patient's arrival in the waiting room, the admission of a
 * participant, and the end (Encounter finished, Appointment fulfilled, every Janus token revoked,
 * the room closed). Every FHIR write carries a Provenance naming who did it and an AuditEvent, in
 * the same transaction. Room names carry no PHI: a visit's room key is a hash of its Appointment
 * id.
 */
@Component
public class VisitWorkflow {

  /** What a refused visit action says to the person who tried it. */
  public static final class VisitRefused extends RuntimeException {
    public VisitRefused(String message) {
      super(message);
    }
  }

  /** The person acting is not on the visit's Appointment. */
  public static final class NotAParticipant extends RuntimeException {
    public NotAParticipant() {
      super("You are not a participant of this visit.");
    }
  }

  public record Started(String encounter, JoinData join) {}

  /**
   * The visit's Encounter was written in Televisit's store; published inside that write's
   * transaction, so a listener's own writes (the EHR write-back's outbox row) commit or roll back
   * with it.
   */
  public record EncounterWritten(String appointment, String encounterRef, Encounter encounter) {}

  private final DaoRegistry daos;
  private final VideoBackend video;
  private final VisitAudit audit;
  private final TransactionTemplate transaction;
  private final ApplicationEventPublisher events;

  private final Presence presence;
  private final Calendars calendars;

  VisitWorkflow(
      DaoRegistry daos,
      VideoBackend video,
      VisitAudit audit,
      PlatformTransactionManager transactions,
      ApplicationEventPublisher events,
      Presence presence) {
    this.presence = presence;
    this.calendars = new Calendars(daos);
    this.events = events;
    this.daos = daos;
    this.video = video;
    this.audit = audit;
    this.transaction = new TransactionTemplate(transactions);
  }

  public Started start(String appointmentRef, String practitionerRef, String display) {
    VideoRooms rooms = rooms();
    String encounter =
        transaction.execute(
            status -> {
              Appointment a = appointment(appointmentRef);
              requireParticipant(a, practitionerRef);
              if (a.getStatus() == Appointment.AppointmentStatus.CANCELLED
                  || a.getStatus() == Appointment.AppointmentStatus.FULFILLED
                  || a.getStatus() == Appointment.AppointmentStatus.NOSHOW) {
                throw new VisitRefused(
                    "This visit is " + a.getStatus().toCode() + " and cannot be started.");
              }
              Encounter e = encounterOf(appointmentRef).orElseGet(Encounter::new);
              e.setStatus(Encounter.EncounterStatus.INPROGRESS);
              e.setClass_(
                  new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
              String patient = patientOf(a);
              e.setSubject(new Reference(patient));
              if (e.getParticipant().stream()
                  .noneMatch(p -> practitionerRef.equals(p.getIndividual().getReference()))) {
                e.addParticipant().setIndividual(new Reference(practitionerRef));
              }
              if (e.getAppointment().stream()
                  .noneMatch(r -> appointmentRef.equals(r.getReference()))) {
                e.addAppointment(new Reference(appointmentRef));
              }
              if (!e.hasType()) {
                a.getServiceType().forEach(t -> e.addType(t.copy()));
              }
              if (!e.getPeriod().hasStart()) {
                e.setPeriod(new Period().setStart(new Date()));
              }
              String ref = write(Encounter.class, e);
              events.publishEvent(new EncounterWritten(appointmentRef, ref, e));
              provenance(ref, practitionerRef, "visit started");
              audit.record("visit-start", true, appointmentRef, patient, null, null);
              return ref;
            });
    rooms.ensureRoom(roomKey(appointmentRef));
    JoinData join =
        rooms.admit(
            roomKey(appointmentRef),
            practitionerRef,
            "clinician",
            display != null ? display : "Clinician");
    return new Started(encounter, join);
  }

  /**
   * The patient opened their link in the visit's window: the Appointment (and Encounter) are
   * arrived.
   */
  public void arrived(String appointmentRef, String patientRef) {
    transaction.executeWithoutResult(
        status -> {
          Appointment a = appointment(appointmentRef);
          if (a.getStatus() == Appointment.AppointmentStatus.BOOKED) {
            a.setStatus(Appointment.AppointmentStatus.ARRIVED);
            a.getParticipant().stream()
                .filter(p -> patientRef.equals(p.getActor().getReference()))
                .forEach(p -> p.setStatus(Appointment.ParticipationStatus.ACCEPTED));
            write(Appointment.class, a);
            provenance(appointmentRef, patientRef, "arrived in the waiting room");
            audit.record("arrived", true, appointmentRef, patientRef, null, null);
          }
          encounterOf(appointmentRef)
              .filter(e -> e.getStatus() == Encounter.EncounterStatus.PLANNED)
              .ifPresent(
                  e -> {
                    e.setStatus(Encounter.EncounterStatus.ARRIVED);
                    String ref = write(Encounter.class, e);
                    provenance(ref, patientRef, "arrived in the waiting room");
                    events.publishEvent(new EncounterWritten(appointmentRef, ref, e));
                  });
        });
  }

  /** The clinician lets someone in: they get their own Janus token for the visit's room. */
  public JoinData admit(
      String appointmentRef,
      String participantRef,
      String role,
      String display,
      String byPractitioner) {
    Appointment a = appointment(appointmentRef);
    requireParticipant(a, participantRef);
    return letIn(
        a, appointmentRef, participantRef, role, display, byPractitioner, role + " admitted");
  }

  /**
   * The clinician lets in an invited guest (interpreter, family member, second clinician), who is
   * not on the Appointment: the caller has checked that the guest holds an open link to this visit.
   */
  public JoinData admitGuest(
      String appointmentRef, String guestKey, String role, String display, String byPractitioner) {
    return letIn(
        appointment(appointmentRef),
        appointmentRef,
        guestKey,
        role,
        display,
        byPractitioner,
        "guest admitted (" + role + ")");
  }

  private JoinData letIn(
      Appointment a,
      String appointmentRef,
      String who,
      String role,
      String display,
      String byPractitioner,
      String detail) {
    requireParticipant(a, byPractitioner);
    VideoRooms rooms = rooms();
    String key = roomKey(appointmentRef);
    // Someone already in the call keeps their place: a second admission would replace their token
    // and
    // kick them (a stale Admit button, two consoles, a double click).
    if ("connected".equals(presence.state(key, who))) {
      Optional<JoinData> current = rooms.joinData(key, who);
      if (current.isPresent()) {
        return current.get();
      }
    }
    rooms.ensureRoom(key);
    JoinData join = rooms.admit(key, who, role, display);
    presence.record(key, who, "admitted", Instant.now());
    transaction.executeWithoutResult(
        s -> audit.record("admit", true, appointmentRef, patientOf(a), null, detail));
    return join;
  }

  /** Cuts someone off the visit's video (their Janus token revoked, kicked from the room). */
  public void removeFromVideo(String appointmentRef, String participant, String byPractitioner) {
    Appointment a = appointment(appointmentRef);
    requireParticipant(a, byPractitioner);
    video.rooms().ifPresent(r -> r.revoke(roomKey(appointmentRef), participant));
    transaction.executeWithoutResult(
        s ->
            audit.record(
                "remove", true, appointmentRef, patientOf(a), null, "removed from the visit"));
  }

  /** The patient of the visit, after checking the practitioner is on it. */
  public String patientOf(String appointmentRef, String practitionerRef) {
    Appointment a = appointment(appointmentRef);
    requireParticipant(a, practitionerRef);
    return patientOf(a);
  }

  /** Where a visit stands, for the console when it opens (and after a reload). */
  public record Standing(
      String appointmentStatus, String encounterStatus, Date startedAt, Date endedAt) {
    public boolean ended() {
      return "fulfilled".equals(appointmentStatus) || "finished".equals(encounterStatus);
    }
  }

  /** The visit's state as its clinician sees it; refused (403) for someone who is not on it. */
  public Standing standing(String appointmentRef, String practitionerRef) {
    Appointment a = appointment(appointmentRef);
    requireParticipant(a, practitionerRef);
    Optional<Encounter> e = encounterOf(appointmentRef);
    return new Standing(
        a.getStatus() == null ? null : a.getStatus().toCode(),
        e.map(x -> x.getStatus() == null ? null : x.getStatus().toCode()).orElse(null),
        e.map(x -> x.getPeriod().getStart()).orElse(null),
        e.map(x -> x.getPeriod().getEnd()).orElse(null));
  }

  /**
   * A participant's current join data, if the clinician has admitted them and the visit is open.
   */
  public Optional<JoinData> joinDataFor(String appointmentRef, String participantRef) {
    return video.rooms().flatMap(r -> r.joinData(roomKey(appointmentRef), participantRef));
  }

  public String end(String appointmentRef, String practitionerRef) {
    Appointment current = appointment(appointmentRef);
    requireParticipant(current, practitionerRef);
    if (encounterOf(appointmentRef).isEmpty()) {
      throw new VisitRefused("This visit was never started.");
    }
    // The room closes first: everyone's camera goes off the moment the clinician ends the visit,
    // not
    // after the record is written (a failed write leaves the visit open to end again; the room is
    // idempotent).
    video.rooms().ifPresent(r -> r.close(roomKey(appointmentRef)));
    everyoneLeft(appointmentRef);
    String encounter =
        transaction.execute(
            status -> {
              Appointment a = appointment(appointmentRef);
              Encounter e =
                  encounterOf(appointmentRef)
                      .orElseThrow(() -> new VisitRefused("This visit was never started."));
              e.setStatus(Encounter.EncounterStatus.FINISHED);
              e.getPeriod().setEnd(new Date());
              String ref = write(Encounter.class, e);
              events.publishEvent(new EncounterWritten(appointmentRef, ref, e));
              provenance(ref, practitionerRef, "visit ended");
              a.setStatus(Appointment.AppointmentStatus.FULFILLED);
              write(Appointment.class, a);
              provenance(appointmentRef, practitionerRef, "visit ended");
              audit.record("visit-end", true, appointmentRef, patientOf(a), null, null);
              return ref;
            });
    return encounter;
  }

  /**
   * When the EHR names no Appointment: today's booked (or arrived) visit of this patient with this
   * practitioner, the earliest first.
   */
  public Optional<String> todaysVisit(String patientRef, String practitionerRef, ZoneId zone) {
    LocalDate today = LocalDate.now(zone);
    SearchParameterMap map = SearchParameterMap.newSynchronous();
    map.add(Appointment.SP_PATIENT, new ReferenceParam(patientRef));
    map.add(Appointment.SP_ACTOR, new ReferenceParam(practitionerRef));
    map.add(
        Appointment.SP_DATE,
        new DateRangeParam(
            Date.from(today.atStartOfDay(zone).toInstant()),
            Date.from(today.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1))));
    return daos
        .getResourceDao(Appointment.class)
        .search(map, new SystemRequestDetails())
        .getAllResources()
        .stream()
        .map(Appointment.class::cast)
        .filter(
            a ->
                a.getStatus() == Appointment.AppointmentStatus.BOOKED
                    || a.getStatus() == Appointment.AppointmentStatus.ARRIVED)
        .min(Comparator.comparing(Appointment::getStart))
        .map(a -> "Appointment/" + a.getIdElement().getIdPart());
  }

  /** The Appointment an Encounter of Televisit's store belongs to, if it names one. */
  public Optional<String> appointmentOfEncounter(String encounterRef) {
    try {
      Encounter e =
          (Encounter)
              daos.getResourceDao("Encounter")
                  .read(new IdType(encounterRef), new SystemRequestDetails());
      return e.getAppointment().stream()
          .map(Reference::getReference)
          .filter(r -> r != null && r.startsWith("Appointment/"))
          .findFirst();
    } catch (BaseServerResponseException e) {
      return Optional.empty();
    }
  }

  /**
   * The practitioner a PractitionerRole of this store is for (the same resolution the booking guard
   * uses).
   */
  public Optional<String> practitionerOfRole(String roleRef) {
    return calendars.practitionerOf(roleRef);
  }

  /** How long an on-demand visit is booked for. */
  static final Duration ON_DEMAND = Duration.ofMinutes(20);

  /**
   * A visit now, for a launch that names a patient but no appointment (EHRs launch from the chart,
   * not only from a schedule): an Appointment booked from now with the clinician and the patient
   * (the booking rules apply: it is refused when the clinician's time is taken), and, when the
   * launch named an Encounter of this store without an appointment, that Encounter tied to it. The
   * patient's link is issued like any booking's.
   */
  public String onDemand(String patientRef, String practitionerRef, String encounterRef) {
    try {
      return transaction.execute(
          status -> {
            Appointment a = new Appointment();
            a.setStatus(Appointment.AppointmentStatus.BOOKED);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            a.setStart(Date.from(now));
            a.setEnd(Date.from(now.plus(ON_DEMAND)));
            a.setMinutesDuration((int) ON_DEMAND.toMinutes());
            a.setDescription("On-demand video visit");
            a.addServiceType().setText("Video visit");
            a.addParticipant()
                .setActor(new Reference(patientRef))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
            a.addParticipant()
                .setActor(new Reference(practitionerRef))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
            String ref = write(Appointment.class, a);
            provenance(ref, practitionerRef, "on-demand visit started from the EHR");
            audit.record(
                "on-demand",
                true,
                ref,
                patientRef,
                null,
                "no appointment in the launch: a visit booked for now");
            if (encounterRef != null) {
              tieEncounter(encounterRef, ref, patientRef, practitionerRef);
            }
            return ref;
          });
    } catch (ResourceVersionConflictException taken) {
      throw new VisitRefused(
          "You have another visit booked at this time, so Televisit cannot open one now for this patient."
              + " Finish or move that visit first.");
    }
  }

  private void tieEncounter(
      String encounterRef, String appointmentRef, String patientRef, String practitionerRef) {
    Encounter e;
    try {
      e =
          (Encounter)
              daos.getResourceDao("Encounter")
                  .read(new IdType(encounterRef), new SystemRequestDetails());
    } catch (BaseServerResponseException notOurs) {
      return;
    }
    if (!e.getAppointment().isEmpty() || !patientRef.equals(e.getSubject().getReference())) {
      return; // another visit's, or another patient's: left as it is
    }
    e.addAppointment(new Reference(appointmentRef));
    String ref = write(Encounter.class, e);
    provenance(ref, practitionerRef, "tied to its on-demand visit");
  }

  /**
   * The visit's Appointment as stored now, for a clinician who is on it (VisitRefused or
   * NotAParticipant otherwise).
   */
  public Appointment visitFor(String appointmentRef, String practitionerRef) {
    Appointment a = appointment(appointmentRef);
    requireParticipant(a, practitionerRef);
    return a;
  }

  /**
   * Stores a change the clinician made to the visit's Appointment, with its Provenance, in the
   * caller's transaction.
   */
  public void recordChange(Appointment visit, String practitionerRef, String activity) {
    write(Appointment.class, visit);
    provenance(Appointments.reference(visit), practitionerRef, activity);
  }

  /** Runs {@code work} in one transaction: what it writes commits or rolls back together. */
  public <T> T inTransaction(Supplier<T> work) {
    return transaction.execute(status -> work.get());
  }

  /**
   * The room is closed: nobody is in it any more, whatever Janus still reports about the ones it
   * dropped.
   */
  private void everyoneLeft(String appointmentRef) {
    String key = roomKey(appointmentRef);
    Instant now = Instant.now();
    presence.snapshot(key).stream()
        .filter(e -> !"left".equals(e.state()))
        .forEach(e -> presence.record(key, e.participant(), "left", now));
  }

  /**
   * The clinician cancels the visit: Appointment (and an unfinished Encounter) cancelled, room
   * closed.
   */
  public void cancel(String appointmentRef, String practitionerRef) {
    requireParticipant(appointment(appointmentRef), practitionerRef);
    transaction.executeWithoutResult(
        status -> {
          Appointment a = appointment(appointmentRef);
          if (a.getStatus() == Appointment.AppointmentStatus.FULFILLED) {
            throw new VisitRefused("This visit has already taken place.");
          }
          a.setStatus(Appointment.AppointmentStatus.CANCELLED);
          write(Appointment.class, a);
          provenance(appointmentRef, practitionerRef, "visit cancelled");
          encounterOf(appointmentRef)
              .filter(e -> e.getStatus() != Encounter.EncounterStatus.FINISHED)
              .ifPresent(
                  e -> {
                    e.setStatus(Encounter.EncounterStatus.CANCELLED);
                    String ref = write(Encounter.class, e);
                    provenance(ref, practitionerRef, "visit cancelled");
                    events.publishEvent(new EncounterWritten(appointmentRef, ref, e));
                  });
        });
    video.rooms().ifPresent(r -> r.close(roomKey(appointmentRef)));
    everyoneLeft(appointmentRef);
  }

  /**
   * Booked visits whose patient never arrived within {@code after} of the start become no-shows
   * (their planned Encounter is cancelled); returns how many.
   */
  public int markNoShows(Duration after) {
    SearchParameterMap map = SearchParameterMap.newSynchronous();
    map.add(Appointment.SP_STATUS, new TokenParam("booked"));
    map.add(
        Appointment.SP_DATE,
        new DateParam(ParamPrefixEnum.LESSTHAN, Date.from(Instant.now().minus(after))));
    map.add(
        Appointment.SP_DATE,
        new DateParam(
            ParamPrefixEnum.GREATERTHAN, Date.from(Instant.now().minus(Duration.ofDays(2)))));
    List<IBaseResource> late =
        daos.getResourceDao(Appointment.class)
            .search(map, new SystemRequestDetails())
            .getAllResources();
    int marked = 0;
    for (IBaseResource r : late) {
      Appointment found = (Appointment) r;
      if (found.getStart() == null
          || found.getStart().toInstant().isAfter(Instant.now().minus(after))) {
        continue;
      }
      String ref = "Appointment/" + found.getIdElement().getIdPart();
      transaction.executeWithoutResult(
          status -> {
            Appointment a = appointment(ref);
            if (a.getStatus() != Appointment.AppointmentStatus.BOOKED) {
              return;
            }
            a.setStatus(Appointment.AppointmentStatus.NOSHOW);
            write(Appointment.class, a);
            provenance(ref, NO_SHOW_RULE, "no-show: the patient never arrived");
            encounterOf(ref)
                .filter(e -> e.getStatus() == Encounter.EncounterStatus.PLANNED)
                .ifPresent(
                    e -> {
                      e.setStatus(Encounter.EncounterStatus.CANCELLED);
                      String encounter = write(Encounter.class, e);
                      provenance(encounter, NO_SHOW_RULE, "no-show: the patient never arrived");
                      events.publishEvent(new EncounterWritten(ref, encounter, e));
                    });
            audit.record(
                "no-show",
                true,
                ref,
                patientOf(a),
                null,
                "the patient did not arrive within " + after.toMinutes() + " min");
          });
      marked++;
    }
    return marked;
  }

  /** Opaque and stable: the room key of a visit never shows its Appointment id. */
  public static String roomKey(String appointmentRef) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("televisit-visit:" + appointmentRef).getBytes(StandardCharsets.UTF_8));
      return "v-" + Base64URL.encode(Arrays.copyOf(d, 18));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private VideoRooms rooms() {
    return video
        .rooms()
        .orElseThrow(() -> new VideoUnavailable("Video is not available right now."));
  }

  private Appointment appointment(String ref) {
    if (ref == null || !ref.startsWith("Appointment/")) {
      throw new VisitRefused("No appointment is open for this visit.");
    }
    try {
      return (Appointment)
          daos.getResourceDao("Appointment").read(new IdType(ref), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      throw new VisitRefused("The appointment of this visit no longer exists.");
    }
  }

  private Optional<Encounter> encounterOf(String appointmentRef) {
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(
            Encounter.SP_APPOINTMENT, new ReferenceParam(appointmentRef));
    List<IBaseResource> found =
        daos.getResourceDao(Encounter.class)
            .search(map, new SystemRequestDetails())
            .getAllResources();
    return found.stream().map(Encounter.class::cast).findFirst();
  }

  private static void requireParticipant(Appointment a, String who) {
    if (who == null
        || a.getParticipant().stream().noneMatch(p -> who.equals(p.getActor().getReference()))) {
      throw new NotAParticipant();
    }
  }

  static String patientOf(Appointment a) {
    return Appointments.patient(a).orElse(null);
  }

  @SuppressWarnings("unchecked")
  private <T extends IBaseResource> String write(Class<T> type, T resource) {
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    IdType id =
        (IdType)
            (resource.getIdElement().hasIdPart()
                ? dao.update(resource, new SystemRequestDetails()).getId()
                : dao.create(resource, new SystemRequestDetails()).getId());
    return type.getSimpleName() + "/" + id.getIdPart();
  }

  /** The author of what Televisit does on its own (no person acted): named, not a resource. */
  private static final String NO_SHOW_RULE = "Televisit no-show rule";

  private void provenance(String target, String agent, String activity) {
    Provenance p = new Provenance();
    p.addTarget(new Reference(target));
    p.setRecorded(new Date());
    p.addAgent()
        .setWho(agent.contains("/") ? new Reference(agent) : new Reference().setDisplay(agent))
        .setType(
            new CodeableConcept()
                .addCoding(
                    new Coding(
                        "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "author",
                        "Author")));
    p.setActivity(new CodeableConcept().setText(activity));
    daos.getResourceDao(Provenance.class).create(p, new SystemRequestDetails());
  }
}
