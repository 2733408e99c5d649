package org.televisit.bench;

/**
 * Present on the class path (bench/lib.sh `start_baseline WithoutVisitRules`), Televisit stores
 * Appointments as a plain FHIR server would: no write rules, no double-booking guard, no Slot status,
 * no join links. The baseline of the booking benchmarks; only under bench/, never in the jar.
 */
public final class WithoutVisitRules {
  private WithoutVisitRules() {}
}
