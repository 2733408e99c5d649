package org.televisit.visits.launch;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.televisit.smart.launch.LaunchContext;
import org.televisit.smart.scopes.Interaction;
import org.televisit.smart.scopes.Scopes;

/**
 * What an EHR's launch leaves out, in sentences for the clinician: scopes granted below what
 * Televisit asked for, the Encounter write-back that this makes impossible, and access that cannot
 * be renewed (no refresh token). The visit opens either way.
 */
final class LaunchFeatures {

  private static final List<String> TYPES =
      List.of("Patient", "Practitioner", "Appointment", "Encounter");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private LaunchFeatures() {}

  static List<String> off(LaunchContext context, ZoneId zone) {
    List<String> off = new ArrayList<>();
    Scopes asked = Scopes.parse(context.issuer().scopes());
    List<String> missing = new ArrayList<>();
    for (String type : TYPES) {
      StringBuilder letters = new StringBuilder();
      for (Interaction i : Interaction.values()) {
        if (asked.allows(type, i) && !context.granted().allows(type, i)) {
          letters.append(i.letter());
        }
      }
      if (!letters.isEmpty()) {
        missing.add(type + " (" + letters + ")");
      }
    }
    if (!missing.isEmpty()) {
      off.add("The EHR granted less than Televisit asked for: " + String.join(", ", missing) + ".");
    }
    boolean writesEncounters =
        context.granted().allows("Encounter", Interaction.CREATE)
            && context.granted().allows("Encounter", Interaction.UPDATE);
    if (asked.allows("Encounter", Interaction.UPDATE) && !writesEncounters) {
      off.add(
          "The visit's Encounter is kept in Televisit only: the EHR did not allow writing it back.");
    }
    if (context.refreshToken() == null) {
      off.add(
          "The EHR gave no refresh token: Televisit's access to the EHR ends when its token lapses"
              + (context.accessTokenExpiresAt() == null
                  ? ""
                  : " (at " + TIME.format(context.accessTokenExpiresAt().atZone(zone)) + ")")
              + "; launch again from the chart to renew it.");
    }
    return off;
  }
}
