package org.televisit.visits.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.launch.LaunchFlow;
import org.televisit.smart.scopes.Interaction;
import org.televisit.video.rooms.SecretSeal;
import org.televisit.visits.launch.SmartClientProperties;
import org.televisit.visits.notify.OutboxKey;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * A visit launched from another EHR. Televisit records every visit in its own store, so the EHR's
 * patient, the signed-in user and the Appointment the EHR named are read from the EHR once (with
 * the clinician's token) and kept as Televisit resources that carry the EHR's ids as identifiers
 * ({iss}/Patient|id, ...); created once, never overwritten (Televisit owns the visit's state after
 * that). The link back to the EHR (its references, whether the Encounter is written back, its
 * tokens, sealed) is a row of televisit.ehr_visit, so the write-back can run after the clinician
 * has left.
 */
@Component
public class EhrVisits {

  /** The visit in Televisit's terms. */
  public record Opened(String appointment, String practitioner, String patient) {}

  /** What the write-back needs of a visit's EHR. */
  record Link(
      String appointment,
      String issuer,
      String ehrPatient,
      String ehrEncounter,
      String ehrAppointment,
      String ehrUser,
      boolean writeBack,
      String accessToken,
      String refreshToken,
      Instant expiresAt) {

    Link withTokens(String access, String refresh, Instant expires) {
      return new Link(
          appointment,
          issuer,
          ehrPatient,
          ehrEncounter,
          ehrAppointment,
          ehrUser,
          writeBack,
          access,
          refresh,
          expires);
    }
  }

  private final JdbcTemplate jdbc;
  private final DaoRegistry daos;
  private final LaunchFlow flow;
  private final VisitWorkflow workflow;
  private final SecretSeal seal;
  private final TransactionTemplate transaction;
  final EhrFhir ehr;

  EhrVisits(
      JdbcTemplate jdbc,
      DaoRegistry daos,
      LaunchFlow flow,
      VisitWorkflow workflow,
      OutboxKey key,
      FhirContext fhir,
      SmartClientProperties properties,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.daos = daos;
    this.flow = flow;
    this.workflow = workflow;
    this.seal = key.seal();
    this.transaction = new TransactionTemplate(transactions);
    this.ehr = new EhrFhir(fhir, properties.connectTimeout(), properties.readTimeout());
  }

  public Opened open(LaunchContext launched) {
    LaunchContext context = flow.fresh(launched);
    String iss = context.issuer().fhirBase().toString();
    if (context.patient() == null) {
      throw new VisitWorkflow.VisitRefused("The EHR did not say which patient this visit is for.");
    }
    if (context.fhirUser() == null) {
      throw new VisitWorkflow.VisitRefused("The EHR did not say who you are.");
    }
    Patient theirPatient =
        fromEhr(
            () -> ehr.read(iss, context.accessToken(), Patient.class, context.patient()),
            "the patient's record");
    String user = context.fhirUser().toString();
    // fhirUser may be relative (Practitioner/123) or absolute (https://ehr/fhir/Practitioner/123)
    IdType userId = new IdType(user);
    String userType = userId.hasResourceType() ? userId.getResourceType() : "Practitioner";
    String userKey = userId.getIdPart();
    Practitioner userRecord = null;
    if (userType.equals("PractitionerRole")) {
      // the role's practitioner is the clinician whose calendar the visit is on
      String roleId = userKey;
      PractitionerRole role =
          readOrNull(() -> ehr.read(iss, context.accessToken(), PractitionerRole.class, roleId));
      String practitionerId =
          role == null || !role.getPractitioner().hasReference()
              ? null
              : new IdType(role.getPractitioner().getReference()).getIdPart();
      if (practitionerId != null) {
        userType = "Practitioner";
        userKey = practitionerId;
      }
    }
    String clinicianType = userType;
    String clinicianId = userKey;
    // fhirUser lets the app read the user's own record (SMART); an EHR that refuses still gets a
    // visit
    if (clinicianType.equals("Practitioner")) {
      userRecord =
          readOrNull(() -> ehr.read(iss, context.accessToken(), Practitioner.class, clinicianId));
    }
    Practitioner clinicianRecord = userRecord;
    Optional<String> ehrAppointment =
        context.fhirContext().stream()
            .filter(r -> r.startsWith("Appointment/"))
            .map(r -> new IdType(r).getIdPart())
            .findFirst()
            .or(() -> appointmentOfEhrEncounter(context, iss));
    Appointment theirAppointment =
        ehrAppointment
            .map(
                id ->
                    fromEhr(
                        () -> ehr.read(iss, context.accessToken(), Appointment.class, id),
                        "the appointment"))
            .orElse(null);

    return transaction.execute(
        status -> {
          String patient =
              mirror(mirroredPatient(theirPatient), iss + "/Patient", context.patient());
          String practitioner =
              mirror(
                  mirroredPractitioner(clinicianRecord, clinicianType),
                  iss + "/" + clinicianType,
                  clinicianId);
          String appointment =
              theirAppointment != null
                  ? mirror(
                      mirroredAppointment(theirAppointment, patient, practitioner),
                      iss + "/Appointment",
                      ehrAppointment.get())
                  : workflow
                      .todaysVisit(patient, practitioner, ZoneId.systemDefault())
                      .orElseGet(() -> workflow.onDemand(patient, practitioner, null));
          boolean writeBack =
              context.issuer().encounterWriteBack()
                  && context.granted().allows("Encounter", Interaction.UPDATE)
                  && context.granted().allows("Encounter", Interaction.CREATE);
          remember(
              new Link(
                  appointment,
                  iss,
                  context.patient(),
                  context.encounter(),
                  ehrAppointment.orElse(null),
                  user,
                  writeBack,
                  context.accessToken(),
                  context.refreshToken(),
                  context.accessTokenExpiresAt()));
          return new Opened(appointment, practitioner, patient);
        });
  }

  /**
   * The appointment of the Encounter the EHR launched with (context or fhirContext), if it names
   * one.
   */
  private Optional<String> appointmentOfEhrEncounter(LaunchContext context, String iss) {
    Optional<String> encounter =
        Optional.ofNullable(context.encounter())
            .or(
                () ->
                    context.fhirContext().stream()
                        .filter(r -> r.startsWith("Encounter/"))
                        .map(r -> new IdType(r).getIdPart())
                        .findFirst());
    if (encounter.isEmpty()) {
      return Optional.empty();
    }
    Encounter theirs =
        readOrNull(() -> ehr.read(iss, context.accessToken(), Encounter.class, encounter.get()));
    return theirs == null
        ? Optional.empty()
        : theirs.getAppointment().stream()
            .filter(Reference::hasReference)
            .map(r -> new IdType(r.getReference()))
            .filter(id -> "Appointment".equals(id.getResourceType()) && id.hasIdPart())
            .map(IdType::getIdPart)
            .findFirst();
  }

  /** The EHR's patient id, when the visit is written back to its EHR (no tokens opened for it). */
  Optional<String> writtenBackFor(String appointment) {
    return jdbc
        .queryForList(
            "SELECT ehr_patient FROM televisit.ehr_visit WHERE appointment = ? AND write_back = ?",
            String.class,
            appointment,
            true)
        .stream()
        .findFirst();
  }

  Optional<Link> link(String appointment) {
    List<Link> found =
        jdbc.query(
            "SELECT appointment, issuer, ehr_patient, ehr_encounter, ehr_appointment, ehr_user, write_back, tokens"
                + " FROM televisit.ehr_visit WHERE appointment = ?",
            (rs, n) -> {
              Map<String, Object> tokens = parse(seal.open(rs.getString("tokens")));
              Object expires = tokens.get("expires_at");
              return new Link(
                  rs.getString("appointment"),
                  rs.getString("issuer"),
                  rs.getString("ehr_patient"),
                  rs.getString("ehr_encounter"),
                  rs.getString("ehr_appointment"),
                  rs.getString("ehr_user"),
                  rs.getBoolean("write_back"),
                  (String) tokens.get("access_token"),
                  (String) tokens.get("refresh_token"),
                  expires == null ? null : Instant.parse((String) expires));
            },
            appointment);
    return found.stream().findFirst();
  }

  /** Keeps the latest tokens (a refresh may have rotated them). */
  void remember(Link link) {
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("access_token", link.accessToken());
    tokens.put("refresh_token", link.refreshToken());
    tokens.put("expires_at", link.expiresAt() == null ? null : link.expiresAt().toString());
    String sealed = seal.seal(JSONObjectUtils.toJSONString(tokens));
    Timestamp now = Timestamp.from(Instant.now());
    int updated =
        jdbc.update(
            "UPDATE televisit.ehr_visit SET issuer = ?, ehr_patient = ?, ehr_encounter = COALESCE(?, ehr_encounter),"
                + " ehr_appointment = COALESCE(?, ehr_appointment), ehr_user = ?, write_back = ?, tokens = ?, updated_at = ? WHERE appointment = ?",
            link.issuer(),
            link.ehrPatient(),
            link.ehrEncounter(),
            link.ehrAppointment(),
            link.ehrUser(),
            link.writeBack(),
            sealed,
            now,
            link.appointment());
    if (updated == 0) {
      jdbc.update(
          "INSERT INTO televisit.ehr_visit (appointment, issuer, ehr_patient, ehr_encounter, ehr_appointment, ehr_user,"
              + " write_back, tokens, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          link.appointment(),
          link.issuer(),
          link.ehrPatient(),
          link.ehrEncounter(),
          link.ehrAppointment(),
          link.ehrUser(),
          link.writeBack(),
          sealed,
          now);
    }
  }

  /** Creates the resource once, found again by the EHR's id as an identifier; returns Type/id. */
  private String mirror(IBaseResource resource, String system, String value) {
    addIdentifier(resource, new Identifier().setSystem(system).setValue(value));
    String type = resource.fhirType();
    var outcome =
        daos.getResourceDao(type)
            .create(
                resource,
                type
                    + "?identifier="
                    + UrlUtil.escapeUrlParam(system)
                    + "|"
                    + UrlUtil.escapeUrlParam(value),
                new SystemRequestDetails());
    return type + "/" + outcome.getId().getIdPart();
  }

  private static void addIdentifier(IBaseResource resource, Identifier identifier) {
    if (resource instanceof Patient p) {
      p.addIdentifier(identifier);
    } else if (resource instanceof Practitioner p) {
      p.addIdentifier(identifier);
    } else if (resource instanceof Appointment a) {
      a.addIdentifier(identifier);
    }
  }

  private static Patient mirroredPatient(Patient theirs) {
    Patient p = new Patient();
    p.setName(theirs.getName());
    p.setBirthDateElement(theirs.getBirthDateElement());
    p.setGender(theirs.getGender());
    p.setTelecom(theirs.getTelecom());
    theirs.getIdentifier().forEach(i -> p.addIdentifier(i.copy()));
    return p;
  }

  private static Practitioner mirroredPractitioner(Practitioner theirs, String userType) {
    Practitioner p = new Practitioner();
    p.setActive(true);
    if (theirs != null && theirs.hasName()) {
      p.setName(theirs.getName());
      theirs.getIdentifier().forEach(i -> p.addIdentifier(i.copy()));
    } else {
      p.addName().setText(userType.equals("Practitioner") ? "Clinician" : userType);
    }
    return p;
  }

  private static Appointment mirroredAppointment(
      Appointment theirs, String patient, String practitioner) {
    Appointment a = new Appointment();
    a.setStatus(theirs.getStatus());
    a.setStart(theirs.getStart());
    a.setEnd(theirs.getEnd());
    a.setServiceType(theirs.getServiceType());
    a.setAppointmentType(theirs.getAppointmentType());
    a.addParticipant()
        .setActor(new Reference(patient))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    a.addParticipant()
        .setActor(new Reference(practitioner))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    return a;
  }

  private static <T> T readOrNull(Supplier<T> call) {
    try {
      return call.get();
    } catch (EhrFhir.EhrCallFailed e) {
      return null;
    }
  }

  private static <T> T fromEhr(Supplier<T> call, String what) {
    try {
      return call.get();
    } catch (EhrFhir.EhrCallFailed e) {
      throw new VisitWorkflow.VisitRefused(
          "Televisit could not read "
              + what
              + " from the EHR ("
              + e.getMessage()
              + "). Please try again, or launch Televisit again from the EHR.");
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("unreadable EHR tokens", e);
    }
  }
}
