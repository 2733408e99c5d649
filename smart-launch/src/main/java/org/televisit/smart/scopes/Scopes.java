package org.televisit.smart.scopes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A granted scope string, understood: the SMART resource scopes (v2, and v1 mapped onto v2) and the
 * other scopes as they are (openid, fhirUser, launch, launch/patient, offline_access, ...). Pure
 * and framework-free: the authorization server checks requested scopes with it and the FHIR
 * endpoint checks every request with it.
 */
public final class Scopes {

  private static final Pattern RESOURCE =
      Pattern.compile("^(patient|user|system)/([A-Z][A-Za-z]*|\\*)\\.([a-z*]+)(\\?(.+))?$");

  private final List<ResourceScope> resourceScopes;
  private final Set<String> otherScopes;

  private Scopes(List<ResourceScope> resourceScopes, Set<String> otherScopes) {
    this.resourceScopes = List.copyOf(resourceScopes);
    // keeps the order they came in: Set.copyOf would iterate in a different order on every JVM
    this.otherScopes = Collections.unmodifiableSet(new LinkedHashSet<>(otherScopes));
  }

  /** A malformed scope: names the token that could not be read. */
  public static final class InvalidScope extends IllegalArgumentException {
    private final String scope;

    InvalidScope(String scope, String why) {
      super("Invalid scope '" + scope + "': " + why);
      this.scope = scope;
    }

    public String scope() {
      return scope;
    }
  }

  /** Parses a space-separated scope string; a malformed resource scope is refused, not ignored. */
  public static Scopes parse(String scopeString) {
    List<ResourceScope> resources = new ArrayList<>();
    Set<String> others = new LinkedHashSet<>();
    if (scopeString != null) {
      for (String token : scopeString.trim().split("\\s+")) {
        if (token.isEmpty()) {
          continue;
        }
        Optional<ResourceScope> resource = parseResource(token);
        if (resource.isPresent()) {
          resources.add(resource.get());
        } else {
          others.add(token);
        }
      }
    }
    return new Scopes(resources, others);
  }

  static Optional<ResourceScope> parseResource(String token) {
    if (!token.startsWith("patient/")
        && !token.startsWith("user/")
        && !token.startsWith("system/")) {
      return Optional.empty();
    }
    Matcher m = RESOURCE.matcher(token);
    if (!m.matches()) {
      throw new InvalidScope(token, "expected (patient|user|system)/Type.permissions");
    }
    ResourceScope.Context context = ResourceScope.Context.valueOf(m.group(1).toUpperCase());
    String permissions = m.group(3);
    Set<Interaction> interactions =
        switch (permissions) {
          case "read" -> EnumSet.of(Interaction.READ, Interaction.SEARCH);
          case "write" -> EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
          case "*" -> EnumSet.allOf(Interaction.class);
          default -> v2Permissions(token, permissions);
        };
    if (m.group(5) != null && permissions.matches("read|write|\\*")) {
      throw new InvalidScope(token, "v1 scopes take no search parameters");
    }
    return Optional.of(
        new ResourceScope(context, m.group(2), interactions, narrowing(token, m.group(5)), token));
  }

  /** v2: a non-empty subsequence of "cruds", in that order, each letter at most once. */
  private static Set<Interaction> v2Permissions(String token, String letters) {
    Set<Interaction> interactions = EnumSet.noneOf(Interaction.class);
    int position = 0;
    Interaction[] order = Interaction.values();
    for (char c : letters.toCharArray()) {
      while (position < order.length && order[position].letter() != c) {
        position++;
      }
      if (position == order.length) {
        throw new InvalidScope(token, "permissions must be letters of 'cruds' in that order");
      }
      interactions.add(order[position++]);
    }
    return interactions;
  }

  private static Map<String, String> narrowing(String token, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new InvalidScope(token, "search parameters must be name=value");
      }
      params.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return params;
  }

  public List<ResourceScope> resourceScopes() {
    return resourceScopes;
  }

  public boolean has(String scope) {
    return otherScopes.contains(scope);
  }

  /** The resource scopes that allow {@code interaction} on {@code type}. */
  public List<ResourceScope> allowing(String type, Interaction interaction) {
    return resourceScopes.stream().filter(s -> s.allows(type, interaction)).toList();
  }

  public boolean allows(String type, Interaction interaction) {
    return !allowing(type, interaction).isEmpty();
  }

  /**
   * Whether every allowing scope is a patient/ scope: then the request is confined to the launch
   * patient's compartment. A user/ or system/ scope that allows it lifts that confinement.
   */
  public boolean confinedToPatient(String type, Interaction interaction) {
    List<ResourceScope> allowing = allowing(type, interaction);
    return !allowing.isEmpty()
        && allowing.stream().allMatch(s -> s.context() == ResourceScope.Context.PATIENT);
  }

  /**
   * The granted subset of {@code requested} that {@code allowed} covers (for the token endpoint).
   */
  public static Scopes intersect(Scopes requested, Collection<String> registeredForClient) {
    Scopes registered = parse(String.join(" ", registeredForClient));
    List<ResourceScope> granted = new ArrayList<>();
    for (ResourceScope want : requested.resourceScopes) {
      Set<Interaction> covered = EnumSet.noneOf(Interaction.class);
      for (Interaction i : want.interactions()) {
        boolean ok =
            registered.resourceScopes.stream()
                .anyMatch(
                    r ->
                        r.context() == want.context()
                            && ("*".equals(r.resourceType())
                                || r.resourceType().equals(want.resourceType()))
                            && r.interactions().contains(i)
                            && want.narrowing().entrySet().containsAll(r.narrowing().entrySet()));
        if (ok) {
          covered.add(i);
        }
      }
      if (covered.equals(want.interactions())) {
        granted.add(want);
      }
    }
    Set<String> others = new LinkedHashSet<>(requested.otherScopes);
    others.retainAll(registered.otherScopes);
    return new Scopes(granted, others);
  }

  /** The scope string, resource scopes first, in the order they came. */
  public String asString() {
    List<String> parts = new ArrayList<>();
    resourceScopes.forEach(s -> parts.add(s.text()));
    parts.addAll(otherScopes);
    return String.join(" ", parts);
  }

  @Override
  public String toString() {
    return asString();
  }
}
