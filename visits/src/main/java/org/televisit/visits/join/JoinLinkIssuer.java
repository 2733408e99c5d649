package org.televisit.visits.join;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Practitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.stereotype.Component;
import org.televisit.fhir.Appointments;
import org.televisit.fhir.BookingEvents;
import org.televisit.fhir.scheduling.SchedulingConfig;
import org.televisit.smart.server.ServerUrls;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.notify.Outbox;
import org.televisit.visits.notify.PatientEmail;

/**
 * What booking a visit sets in motion, inside the Appointment's own transaction: one join link per
 * patient participant, its e-mail queued in the outbox, and the audit records (book, hold, cancel,
 * reschedule, link issued) that become AuditEvents. A cancel revokes the links; a new time revokes
 * them and issues new ones. If the Appointment's write rolls back, none of this happened.
 */
@Component
@ConditionalOnMissingClass(SchedulingConfig.WITHOUT_VISIT_RULES)
public class JoinLinkIssuer implements BookingEvents {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm");
  private static final Logger log = LoggerFactory.getLogger(JoinLinkIssuer.class);

  private final JoinLinks links;
  private final Outbox outbox;
  private final VisitAudit audit;
  private final DaoRegistry daos;
  private final ServerUrls urls;
  private final ZoneId zone = ZoneId.systemDefault();
  // A clinician's name for e-mails and the join page: read once per practitioner and kept a few
  // minutes (a booking burst books the same clinicians over and over); a rename here drops it at
  // once.
  private final Cache<String, Optional<String>> clinicianNames =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();

  JoinLinkIssuer(
      JoinLinks links, Outbox outbox, VisitAudit audit, DaoRegistry daos, ServerUrls urls) {
    this.links = links;
    this.outbox = outbox;
    this.audit = audit;
    this.daos = daos;
    this.urls = urls;
  }

  @Override
  public void appointmentCreated(Appointment a, RequestDetails request) {
    if (a.getStatus() == Appointment.AppointmentStatus.PENDING) {
      audit.record("hold", true, ref(a), patient(a).orElse(null), request, null);
    }
    if (Appointments.LINKED.contains(a.getStatus())) {
      bookedWithLinks("book", a, request);
    }
  }

  @Override
  public void practitionerUpdated(Practitioner p) {
    clinicianNames.invalidate("Practitioner/" + p.getIdElement().getIdPart());
  }

  @Override
  public void appointmentUpdated(Appointment before, Appointment a, RequestDetails request) {
    boolean was = Appointments.LINKED.contains(before.getStatus());
    boolean is = Appointments.LINKED.contains(a.getStatus());
    boolean moved =
        !Objects.equals(before.getStart(), a.getStart())
            || !Objects.equals(before.getEnd(), a.getEnd());
    if (is && !was) {
      links.revokeAll(ref(a));
      bookedWithLinks("book", a, request);
    } else if (is && moved) {
      links.revokeAll(ref(a));
      bookedWithLinks("reschedule", a, request);
    } else if (was && !is) {
      int revoked = links.revokeAll(ref(a));
      audit.record(
          a.getStatus() == Appointment.AppointmentStatus.CANCELLED
              ? "cancel"
              : "status-" + a.getStatus().toCode(),
          true,
          ref(a),
          patient(a).orElse(null),
          request,
          revoked + " join link(s) revoked");
    }
  }

  /**
   * One AuditEvent for a booking (or a new time) and the links it issued: one action of the
   * scheduler, one record with both subtypes (BALP allows several), which also halves the audit
   * writes per booking.
   */
  private void bookedWithLinks(String action, Appointment a, RequestDetails request) {
    Issued issued = issue(a, request, false);
    audit.record(
        issued.links() > 0 ? List.of(action, "link-issued") : List.of(action),
        true,
        ref(a),
        patient(a).orElse(null),
        request,
        null);
  }

  /**
   * Issues a link for every patient participant on demand (the console's "send again"), each with
   * its own AuditEvent; returns how many were queued for e-mail (the address on file is read now,
   * so the clinician hears at once when there is none).
   */
  public int issueLinks(Appointment a, RequestDetails request) {
    return issue(a, request, true).emailed();
  }

  private record Issued(int links, int emailed) {}

  /**
   * A booking's links are queued for e-mail without reading the patient: the outbox sender looks
   * the address on file up when it sends (the freshest one, off the booking's path; none on file
   * gives the message up, audited). On demand, the address is read here.
   */
  private Issued issue(Appointment a, RequestDetails request, boolean onDemand) {
    int issued = 0;
    int emailed = 0;
    String clinician = clinician(a);
    Set<String> linked = new HashSet<>();
    for (Appointment.AppointmentParticipantComponent p : a.getParticipant()) {
      String who = p.getActor().getReferenceElement().toUnqualifiedVersionless().getValue();
      // one link (and one e-mail) per person, however often the Appointment names them
      if (who == null || !who.startsWith("Patient/") || !linked.add(who)) {
        continue;
      }
      String token =
          links.issue(
              ref(a), who, "patient", clinician, a.getStart().toInstant(), a.getEnd().toInstant());
      issued++;
      if (onDemand) {
        audit.record("link-issued", true, ref(a), who, request, null);
      }
      Optional<String> email = onDemand ? PatientEmail.onFile(daos, who) : Optional.empty();
      if (onDemand && email.isEmpty()) {
        log.info("{} has no e-mail address: its join link was issued but not sent", ref(a));
        continue;
      }
      Map<String, Object> payload = invitation(a, email.orElse(null), token);
      outbox.enqueue("email", ref(a), who, JSONObjectUtils.toJSONString(payload));
      emailed++;
    }
    return new Issued(issued, emailed);
  }

  /**
   * A new link for one participant, on demand (the console's "copy link"); the others stay valid.
   * Returns the link for the clinician to pass on; it is not stored anywhere in clear.
   */
  public String issueOne(Appointment a, String participant, String role, RequestDetails request) {
    if (!Appointments.LINKED.contains(a.getStatus())) {
      throw new IllegalStateException("only a booked visit has join links");
    }
    String token =
        links.issue(
            ref(a),
            participant,
            role,
            clinician(a),
            a.getStart().toInstant(),
            a.getEnd().toInstant());
    audit.record(
        "link-issued",
        true,
        ref(a),
        participant.startsWith("Patient/") ? participant : patient(a).orElse(null),
        request,
        "issued on demand (" + role + ")");
    return link(token);
  }

  /**
   * Who may be invited to a visit besides its patient and clinician, and how each is typed as an
   * Appointment participant (the R4 encounter-participant-type value set: translator,
   * participation, consultant).
   */
  public enum GuestRole {
    INTERPRETER(
        "interpreter",
        "http://terminology.hl7.org/CodeSystem/participant-type",
        "translator",
        "Translator"),
    FAMILY(
        "family member",
        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "PART",
        "Participation"),
    CLINICIAN(
        "second clinician",
        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "CON",
        "consultant");

    private final String label;
    private final Coding participantType;

    GuestRole(String label, String system, String code, String display) {
      this.label = label;
      this.participantType = new Coding(system, code, display);
    }

    public CodeableConcept participantType() {
      return new CodeableConcept(participantType.copy()).setText(label);
    }

    public String label() {
      return label;
    }

    public String code() {
      return name().toLowerCase();
    }
  }

  /**
   * A guest's opaque key (their participant id in Televisit and on the Appointment) and their link.
   */
  public record Invited(String guest, String link) {}

  /**
   * Invites a guest: their own link (their own key, role and name, revocable on its own), e-mailed
   * through the outbox when an address is given; returns their key and the link for the clinician.
   */
  public Invited invite(
      Appointment a, GuestRole role, String name, String email, RequestDetails request) {
    if (!Appointments.LINKED.contains(a.getStatus())) {
      throw new IllegalStateException("only a booked visit has join links");
    }
    String guest = JoinLink.GUEST + JoinLinks.randomKey();
    String token =
        links.issue(
            ref(a),
            guest,
            role.code(),
            name,
            clinician(a),
            a.getStart().toInstant(),
            a.getEnd().toInstant());
    String patient = patient(a).orElse(null);
    audit.record(
        "link-issued", true, ref(a), patient, request, "guest invited (" + role.code() + ")");
    if (email != null) {
      Map<String, Object> payload = invitation(a, email, token);
      payload.put("guestRole", role.label());
      payload.put("guestName", name);
      outbox.enqueue("email", ref(a), patient, JSONObjectUtils.toJSONString(payload));
    }
    return new Invited(guest, link(token));
  }

  /**
   * What the join-link e-mail says (OutboxSender writes it): to whom (no address: the patient's on
   * file when it is sent), the link, when, with whom.
   */
  private Map<String, Object> invitation(Appointment a, String email, String token) {
    Map<String, Object> payload = new LinkedHashMap<>();
    if (email != null) {
      payload.put("email", email);
    }
    payload.put("link", link(token));
    payload.put("when", WHEN.format(a.getStart().toInstant().atZone(zone)));
    payload.put("clinic", "your care team");
    return payload;
  }

  public String link(String token) {
    return urls.fhirBase().toString().replaceAll("/fhir$", "") + "/join/" + token;
  }

  private String clinician(Appointment a) {
    for (Appointment.AppointmentParticipantComponent p : a.getParticipant()) {
      String who = p.getActor().getReferenceElement().toUnqualifiedVersionless().getValue();
      if (who != null && who.startsWith("Practitioner/")) {
        if (p.getActor().hasDisplay()) {
          return p.getActor().getDisplay();
        }
        return clinicianNames.get(who, this::practitionerName).orElse(null);
      }
    }
    return null;
  }

  private Optional<String> practitionerName(String practitioner) {
    try {
      Practitioner p =
          (Practitioner)
              daos.getResourceDao("Practitioner")
                  .read(new IdType(practitioner), new SystemRequestDetails());
      return Optional.of(p.getNameFirstRep().getNameAsSingleString());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> patient(Appointment a) {
    return Appointments.patient(a);
  }

  private static String ref(Appointment a) {
    return Appointments.reference(a);
  }
}
