package org.televisit.fhir.sandbox;

/**
 * The sandbox clinic finished loading after start-up (published once, as a Spring application
 * event).
 */
public record SandboxLoaded(int created, int existing) {}
