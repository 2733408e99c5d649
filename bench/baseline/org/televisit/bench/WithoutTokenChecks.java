package org.televisit.bench;

/**
 * Present on the class path (bench/lib.sh `start_baseline WithoutTokenChecks`), Televisit serves /fhir
 * without its SMART token checks: the baseline that shows what the checks cost. It exists only under
 * bench/, never in the jar, so no configuration of a deployment can switch the checks off.
 */
public final class WithoutTokenChecks {
  private WithoutTokenChecks() {}
}
