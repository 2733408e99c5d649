package org.televisit.smart.scopes;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One SMART resource scope, e.g. {@code patient/Observation.rs?category=laboratory}: whose data
 * (patient, user, system), which type ({@code *} for all), which interactions, and optional search
 * parameters that narrow it. v1 scopes ({@code .read}, {@code .write}, {@code .*}) are read into
 * the same shape.
 */
public record ResourceScope(
    Context context,
    String resourceType,
    Set<Interaction> interactions,
    Map<String, String> narrowing,
    String text) {

  public enum Context {
    PATIENT,
    USER,
    SYSTEM
  }

  public ResourceScope {
    interactions = Collections.unmodifiableSet(EnumSet.copyOf(interactions));
    narrowing = Collections.unmodifiableMap(new LinkedHashMap<>(narrowing));
  }

  /**
   * Whether this scope allows {@code interaction} on {@code type} (narrowing is checked elsewhere).
   */
  public boolean allows(String type, Interaction interaction) {
    return ("*".equals(resourceType) || resourceType.equals(type))
        && interactions.contains(interaction);
  }

  @Override
  public String toString() {
    return text;
  }
}
