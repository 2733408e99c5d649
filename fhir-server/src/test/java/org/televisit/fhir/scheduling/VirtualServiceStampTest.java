package org.televisit.fhir.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.UrlType;
import org.junit.jupiter.api.Test;

/**
 * The virtualService stamp on its own (no Spring): R5's VirtualServiceDetail, in R4 extension form.
 */
class VirtualServiceStampTest {

  private final VirtualServiceStamp stamp =
      new VirtualServiceStamp("https://televisit.example.org/visit", 4);

  private static Appointment visit(Appointment.AppointmentStatus status) {
    return new Appointment().setStatus(status).setStart(new Date(0)).setEnd(new Date(1_200_000));
  }

  /**
   * Each part carries the name and the type R5 gives it (channelType Coding, address[x] as url,
   * maxParticipants positiveInt); additionalInfo, a url in R5, is left out: Televisit has no page
   * of other connection details to point to.
   */
  @Test
  void aBookedVisitIsStampedWithTheR5PartsAndTypes() {
    Appointment a = visit(Appointment.AppointmentStatus.BOOKED);
    stamp.created(a);
    Extension service = a.getExtensionByUrl(VirtualServiceStamp.URL);
    assertThat(service.getExtension())
        .extracting(Extension::getUrl)
        .containsExactly("channelType", "address", "maxParticipants");
    assertThat(service.getExtensionByUrl("channelType").getValue())
        .isInstanceOfSatisfying(
            Coding.class,
            c ->
                assertThat(c.getSystem() + "|" + c.getCode())
                    .isEqualTo(VirtualServiceStamp.CHANNEL_SYSTEM + "|televisit"));
    assertThat(service.getExtensionByUrl("address").getValue())
        .isInstanceOfSatisfying(
            UrlType.class,
            u -> assertThat(u.getValue()).isEqualTo("https://televisit.example.org/visit"));
    assertThat(service.getExtensionByUrl("maxParticipants").getValue())
        .isInstanceOfSatisfying(PositiveIntType.class, n -> assertThat(n.getValue()).isEqualTo(4));
  }

  @Test
  void aVisitAlreadyStampedKeepsItsOwnAndGetsNoSecond() {
    Appointment a = visit(Appointment.AppointmentStatus.BOOKED);
    Extension own = a.addExtension().setUrl(VirtualServiceStamp.URL);
    own.addExtension("address", new UrlType("https://other.example.org/room"));
    stamp.updated(null, a);
    assertThat(a.getExtensionsByUrl(VirtualServiceStamp.URL)).containsExactly(own);
  }

  @Test
  void aVisitThatHoldsNoTimeIsNotStamped() {
    Appointment cancelled = visit(Appointment.AppointmentStatus.CANCELLED);
    stamp.created(cancelled);
    assertThat(cancelled.hasExtension(VirtualServiceStamp.URL)).isFalse();
  }
}
