package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.fhir.sandbox.SandboxSeed;
import org.televisit.fhir.scheduling.Calendars;
import org.televisit.fhir.scheduling.DoubleBookingGuard;

/** The order of the booking pipeline's steps, without Spring or a database. */
class BookingPipelineTest {

  final List<String> heard = new ArrayList<>();
  final BookingEvents listener =
      new BookingEvents() {
        @Override
        public void appointmentCreated(Appointment appointment, RequestDetails request) {
          heard.add("created " + appointment.getIdElement().getIdPart());
        }

        @Override
        public void appointmentUpdated(
            Appointment before, Appointment after, RequestDetails request) {
          heard.add("updated " + after.getIdElement().getIdPart());
        }

        @Override
        public void practitionerUpdated(Practitioner practitioner) {
          heard.add("practitioner " + practitioner.getIdElement().getIdPart());
        }
      };

  static Appointment visit(String id) {
    Appointment a = new Appointment();
    a.setId("Appointment/" + id);
    a.setStatus(Appointment.AppointmentStatus.BOOKED);
    a.setStart(Date.from(Instant.parse("2031-01-01T09:00:00Z")));
    a.setEnd(Date.from(Instant.parse("2031-01-01T09:20:00Z")));
    a.addParticipant().setActor(new Reference("Patient/1"));
    a.addParticipant().setActor(new Reference("Practitioner/2"));
    return a;
  }

  @Test
  void aBrokenVisitRuleIsRefusedBeforeAnythingIsBooked() {
    // a guard without a database: reaching it would fail with "No DataSource set", not a 422
    DoubleBookingGuard unreachable =
        new DoubleBookingGuard(new JdbcTemplate(), false, new Calendars(null));
    BookingPipeline pipeline =
        new BookingPipeline(true, null, unreachable, null, List.of(listener));
    Appointment broken = visit("1");
    broken.getParticipant().remove(0); // no patient; its times would send the guard to the database
    assertThatThrownBy(() -> pipeline.created(broken, new SystemRequestDetails()))
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("appointment-patient");
    assertThat(heard).isEmpty();
  }

  @Test
  void anUpdateIsCheckedOnItsNewVersion() {
    BookingPipeline pipeline = new BookingPipeline(true, null, null, null, List.of(listener));
    Appointment broken = visit("2");
    broken.getParticipant().clear();
    pipeline.updated(broken, visit("2"), new SystemRequestDetails());
    assertThatThrownBy(() -> pipeline.updated(visit("2"), broken, new SystemRequestDetails()))
        .isInstanceOf(UnprocessableEntityException.class);
    assertThat(heard).containsExactly("updated 2");
  }

  @Test
  void theSandboxSeedIsBookedWithoutEventsAndPractitionerChangesAreHeard() {
    BookingPipeline pipeline = new BookingPipeline(true, null, null, null, List.of(listener));
    SystemRequestDetails seed = new SystemRequestDetails();
    seed.getUserData().put(SandboxSeed.SEED_MARK, true);
    pipeline.created(visit("3"), seed);
    pipeline.created(visit("4"), new SystemRequestDetails());
    Practitioner renamed = new Practitioner();
    renamed.setId("Practitioner/2");
    pipeline.updated(new Practitioner(), renamed, new SystemRequestDetails());
    assertThat(heard).containsExactly("created 4", "practitioner 2");
  }
}
