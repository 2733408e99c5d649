package org.televisit.visits.console;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.server.ServerUrls;
import org.televisit.video.rooms.VideoUnavailable;
import org.televisit.visits.ehr.EhrVisits;
import org.televisit.visits.join.JoinLink;
import org.televisit.visits.join.JoinLinkIssuer;
import org.televisit.visits.join.JoinLinks;
import org.televisit.visits.join.VisitGuests;
import org.televisit.visits.launch.LaunchSession;
import org.televisit.visits.presence.PresenceHub;
import org.televisit.visits.video.BrowserJoin;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * The clinician console's actions, for the visit the EHR launched with (the session's launch
 * context: its Appointment from fhirContext, the clinician from fhirUser): start, admit someone
 * waiting, end. JSON only (a cross-site form cannot send it), never a token of the EHR.
 */
@RestController
public class VisitConsoleController {

  private final VisitWorkflow workflow;
  private final ServerUrls urls;
  private final PresenceHub presence;
  private final DaoRegistry daos;
  private final VisitGuests guests;
  private final JoinLinks links;
  private final EhrVisits ehrVisits;

  VisitConsoleController(
      VisitWorkflow workflow,
      ServerUrls urls,
      PresenceHub presence,
      DaoRegistry daos,
      VisitGuests guests,
      JoinLinks links,
      EhrVisits ehrVisits) {
    this.ehrVisits = ehrVisits;
    this.links = links;
    this.daos = daos;
    this.guests = guests;
    this.workflow = workflow;
    this.urls = urls;
    this.presence = presence;
  }

  /**
   * The patient banner (name, birth date, gender, MRN) unless the EHR said
   * need_patient_banner=false.
   */
  @GetMapping(value = "/api/console/patient", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> patient(HttpServletRequest request) {
    LaunchContext context = LaunchSession.context(request).orElse(null);
    if (context == null || context.patient() == null) {
      throw new Unauthenticated();
    }
    Visit v = visit(request);
    Patient p =
        (Patient)
            daos.getResourceDao("Patient")
                .read(new IdType(v.patient()), new SystemRequestDetails());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("needPatientBanner", context.needPatientBanner());
    body.put("name", p.getNameFirstRep().getNameAsSingleString());
    body.put("birthDate", p.hasBirthDate() ? p.getBirthDateElement().getValueAsString() : null);
    body.put("gender", p.hasGender() ? p.getGender().toCode() : null);
    body.put(
        "mrn",
        p.getIdentifier().stream()
            .filter(
                i ->
                    i.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()))
                        || (i.getSystem() != null && i.getSystem().contains("mrn")))
            .map(Identifier::getValue)
            .findFirst()
            .orElse(null));
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
  }

  /** Live presence of the visit (server-sent events): a snapshot now and one after every change. */
  @GetMapping(value = "/api/console/visit/presence", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter presence(HttpServletRequest request) throws IOException {
    String refusal;
    try {
      return presence.open(VisitWorkflow.roomKey(visit(request).appointment()));
    } catch (Unauthenticated e) {
      refusal = NO_VISIT;
    } catch (VisitWorkflow.VisitRefused | VisitWorkflow.NotAParticipant e) {
      refusal = e.getMessage();
    }
    // an EventSource cannot read an error status: the refusal is an event it can show, then the end
    var emitter = new SseEmitter(0L);
    emitter.send(SseEmitter.event().name("problem").data(Map.of("message", refusal)));
    emitter.complete();
    return emitter;
  }

  static final String NO_VISIT =
      "No visit is open in this browser. Open the patient's chart in your EHR and launch Televisit"
          + " from there (in the sandbox: the launcher at /sandbox).";

  record Admit(String participant) {}

  record Invite(String role, String name, String email) {}

  @PostMapping(value = "/api/console/visit/start", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> start(HttpServletRequest request) {
    Visit v = visit(request);
    VisitWorkflow.Started started = workflow.start(v.appointment(), v.practitioner(), null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("encounter", started.encounter());
    body.put("join", BrowserJoin.of(started.join()));
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
  }

  /**
   * Lets someone in who is waiting: the visit's patient, or a guest holding an open link to it.
   * Their role and name come from the visit's records, never from the page.
   */
  @PostMapping(value = "/api/console/visit/admit", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> admit(@RequestBody Admit admit, HttpServletRequest request) {
    Visit v = visit(request);
    String who = admit.participant();
    if (who != null && who.startsWith(JoinLink.GUEST)) {
      JoinLink link =
          openLinkOf(v, who)
              .orElseThrow(
                  () ->
                      new VisitWorkflow.VisitRefused(
                          "This guest's invitation is no longer valid."));
      workflow.admitGuest(v.appointment(), who, link.role(), link.display(), v.practitioner());
    } else {
      if (who == null || !who.equals(workflow.patientOf(v.appointment(), v.practitioner()))) {
        throw new VisitWorkflow.NotAParticipant();
      }
      workflow.admit(v.appointment(), who, "patient", "Patient", v.practitioner());
    }
    return ResponseEntity.ok(Map.of("admitted", who));
  }

  /**
   * Where the visit stands when the console opens (or is reloaded): started, ended, cancelled. A
   * clinician who is not on the visit learns it here, before pressing anything (403).
   */
  @GetMapping(value = "/api/console/visit", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> standing(HttpServletRequest request) {
    Visit v = visit(request);
    VisitWorkflow.Standing s = workflow.standing(v.appointment(), v.practitioner());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("appointmentStatus", s.appointmentStatus());
    body.put("encounterStatus", s.encounterStatus());
    body.put("startedAt", s.startedAt() == null ? null : s.startedAt().toInstant().toString());
    body.put("endedAt", s.endedAt() == null ? null : s.endedAt().toInstant().toString());
    body.put("ended", s.ended());
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(body);
  }

  /**
   * Everyone who may join this visit: the clinician ("You"), the patient and each invited guest.
   */
  @GetMapping(value = "/api/console/visit/people", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<List<Map<String, Object>>> people(HttpServletRequest request) {
    Visit v = visit(request);
    List<Map<String, Object>> people = new ArrayList<>();
    people.add(Map.of("participant", v.practitioner(), "role", "you", "display", "You"));
    String patient = workflow.patientOf(v.appointment(), v.practitioner());
    if (patient != null) {
      people.add(Map.of("participant", patient, "role", "patient", "display", "Patient"));
    }
    // every guest ever invited, so that names stay after the visit ended (which revokes their
    // links)
    links.ofAppointment(v.appointment()).stream()
        .filter(JoinLink::guest)
        .collect(Collectors.toMap(JoinLink::participant, l -> l, (a, b) -> b, LinkedHashMap::new))
        .values()
        .forEach(
            l ->
                people.add(
                    Map.of(
                        "participant",
                        l.participant(),
                        "role",
                        l.role(),
                        "display",
                        l.display() == null ? l.role() : l.display())));
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(people);
  }

  /** Invites an interpreter, a family member or a second clinician, each with their own link. */
  @PostMapping(value = "/api/console/visit/invite", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> invite(
      @RequestBody Invite invite, HttpServletRequest request) {
    Visit v = visit(request);
    JoinLinkIssuer.GuestRole role =
        Arrays.stream(JoinLinkIssuer.GuestRole.values())
            .filter(r -> r.code().equals(invite.role()))
            .findFirst()
            .orElseThrow(
                () ->
                    new BadInput(
                        "Choose who to invite: an interpreter, a family member or a second clinician."));
    String name = invite.name() == null ? "" : invite.name().strip();
    if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
      throw new BadInput("Type the name of the person you invite (up to 100 characters).");
    }
    String email =
        invite.email() == null || invite.email().isBlank() ? null : invite.email().strip();
    if (email != null && !isEmailAddress(email)) {
      throw new BadInput("That e-mail address does not look right.");
    }
    String link = guests.invite(v.appointment(), v.practitioner(), role, name, email);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("link", link);
    body.put("emailed", email != null);
    return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store").body(body);
  }

  /** Takes a guest out: their links stop working and their video is cut off. */
  @PostMapping(value = "/api/console/visit/remove", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> remove(@RequestBody Admit who, HttpServletRequest request) {
    Visit v = visit(request);
    if (who.participant() == null || !who.participant().startsWith(JoinLink.GUEST)) {
      throw new BadInput(
          "Only an invited guest can be removed; cancel the visit to stop the patient's link.");
    }
    links.revoke(v.appointment(), who.participant());
    guests.removeGuest(v.appointment(), who.participant(), v.practitioner());
    return ResponseEntity.ok(Map.of("removed", who.participant()));
  }

  /** "Send again": a fresh link to the patient's e-mail address on file. */
  @PostMapping(value = "/api/console/visit/send-link", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> sendLink(HttpServletRequest request) {
    Visit v = visit(request);
    int queued = guests.sendLinksAgain(v.appointment(), v.practitioner());
    if (queued == 0) {
      throw new VisitWorkflow.VisitRefused(
          "The patient has no e-mail address on file: copy the link instead.");
    }
    return ResponseEntity.ok(Map.of("sent", queued));
  }

  private static boolean isEmailAddress(String text) {
    try {
      InternetAddress address = new InternetAddress(text, true);
      address.validate();
      return address.getAddress().equals(text) && text.contains("@") && text.length() <= 254;
    } catch (AddressException e) {
      return false;
    }
  }

  private Optional<JoinLink> openLinkOf(Visit v, String participant) {
    Instant now = Instant.now();
    return links.ofAppointment(v.appointment()).stream()
        .filter(l -> l.participant().equals(participant) && l.state(now) == JoinLink.State.OPEN)
        .findFirst();
  }

  /** "Copy the patient's link": a new personal link, for the clinician to pass on. */
  @PostMapping(
      value = "/api/console/visit/patient-link",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> patientLink(HttpServletRequest request) {
    Visit v = visit(request);
    return ResponseEntity.ok()
        .header("Cache-Control", "no-store")
        .body(Map.of("link", guests.patientLink(v.appointment(), v.practitioner())));
  }

  @PostMapping(value = "/api/console/visit/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> cancel(HttpServletRequest request) {
    Visit v = visit(request);
    workflow.cancel(v.appointment(), v.practitioner());
    return ResponseEntity.ok(Map.of("appointment", v.appointment(), "status", "cancelled"));
  }

  @PostMapping(value = "/api/console/visit/end", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> end(HttpServletRequest request) {
    Visit v = visit(request);
    return ResponseEntity.ok(Map.of("encounter", workflow.end(v.appointment(), v.practitioner())));
  }

  /** The visit in Televisit's store: its Appointment, the clinician, the patient. */
  record Visit(String appointment, String practitioner, String patient) {}

  static final String VISIT = "televisit.visit";

  private Visit visit(HttpServletRequest request) {
    LaunchContext context = LaunchSession.context(request).orElse(null);
    if (context == null) {
      throw new Unauthenticated();
    }
    HttpSession session = request.getSession(false);
    // resolved once per launch: an on-demand visit is booked once, another EHR's records mirrored
    // once
    Visit known = (Visit) session.getAttribute(VISIT);
    if (known != null && session.getAttribute(VISIT + ".launch") == context) {
      return known;
    }
    if (!urls.isAudience(context.issuer().fhirBase().toString())) {
      // another EHR: its patient, user and appointment are mirrored once per launch (see EhrVisits)
      EhrVisits.Opened opened = ehrVisits.open(context);
      known = new Visit(opened.appointment(), opened.practitioner(), opened.patient());
    } else {
      known = ownVisit(context);
    }
    session.setAttribute(VISIT, known);
    session.setAttribute(VISIT + ".launch", context);
    return known;
  }

  /**
   * A launch from Televisit's own authorization server (the sandbox EHR, or an EHR that uses it):
   * the Appointment named in fhirContext, else the one the launch's Encounter belongs to, else
   * today's visit of this patient with this clinician, else an on-demand visit now.
   */
  private Visit ownVisit(LaunchContext context) {
    String practitioner = clinicianOf(context.fhirUser());
    String patient = context.patient() != null ? "Patient/" + context.patient() : null;
    List<String> encounters = new ArrayList<>();
    if (context.encounter() != null) {
      encounters.add("Encounter/" + context.encounter());
    }
    encounters.addAll(LaunchReferences.ofType(context.fhirContext(), "Encounter"));
    Optional<String> appointment =
        LaunchReferences.ofType(context.fhirContext(), "Appointment").stream()
            .findFirst()
            .or(
                () ->
                    encounters.stream()
                        .map(workflow::appointmentOfEncounter)
                        .flatMap(Optional::stream)
                        .findFirst())
            .or(
                () ->
                    patient == null
                        ? Optional.empty()
                        : workflow.todaysVisit(patient, practitioner, ZoneId.systemDefault()));
    if (appointment.isEmpty()) {
      if (patient == null) {
        throw new VisitWorkflow.VisitRefused(
            "The EHR did not say which patient this visit is for. Open a patient's chart"
                + " and launch Televisit from there.");
      }
      appointment =
          Optional.of(
              workflow.onDemand(
                  patient, practitioner, encounters.isEmpty() ? null : encounters.get(0)));
    }
    return new Visit(appointment.get(), practitioner, patient);
  }

  /**
   * fhirUser, relative or absolute; a PractitionerRole stands for its practitioner (whose calendar
   * it is).
   */
  private String clinicianOf(URI fhirUser) {
    Optional<String> user =
        fhirUser == null
            ? Optional.empty()
            : LaunchReferences.relative(fhirUser.toString(), urls.fhirBase().toString());
    if (user.isEmpty()) {
      throw new VisitWorkflow.VisitRefused("The EHR did not say who you are.");
    }
    if (user.get().startsWith("PractitionerRole/")) {
      return workflow
          .practitionerOfRole(user.get())
          .orElseThrow(
              () ->
                  new VisitWorkflow.VisitRefused(
                      "Your role in the EHR names no practitioner, so Televisit cannot tell whose visits are yours."));
    }
    if (!user.get().startsWith("Practitioner/")) {
      throw new VisitWorkflow.VisitRefused(
          "Televisit's console is for clinicians; the EHR signed you in as "
              + user.get().substring(0, user.get().indexOf('/'))
              + ".");
    }
    return user.get();
  }

  static final class Unauthenticated extends RuntimeException {}

  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message);
    }
  }

  @ExceptionHandler(BadInput.class)
  ResponseEntity<Map<String, Object>> badInput(BadInput e) {
    return ResponseEntity.badRequest().body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(Unauthenticated.class)
  ResponseEntity<Map<String, Object>> unauthenticated() {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("message", NO_VISIT));
  }

  @ExceptionHandler(VisitWorkflow.VisitRefused.class)
  ResponseEntity<Map<String, Object>> refused(VisitWorkflow.VisitRefused e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(VisitWorkflow.NotAParticipant.class)
  ResponseEntity<Map<String, Object>> notYours(VisitWorkflow.NotAParticipant e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(VideoUnavailable.class)
  ResponseEntity<Map<String, Object>> noVideo(VideoUnavailable e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("message", "Video unavailable: " + e.getMessage()));
  }
}
