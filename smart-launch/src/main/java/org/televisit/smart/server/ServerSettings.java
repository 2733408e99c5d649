package org.televisit.smart.server;

import java.time.Duration;

/**
 * Lifetimes and timeouts of the authorization server; {@link #defaults()} follows SMART's limits.
 */
public record ServerSettings(
    Duration codeLife,
    Duration accessTokenLife,
    Duration backendTokenLife,
    Duration refreshLife,
    Duration launchLife,
    Duration grantCacheTtl,
    Duration connectTimeout,
    Duration readTimeout) {

  public ServerSettings {
    if (codeLife.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("authorization codes live at most 60 s");
    }
    if (accessTokenLife.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("access tokens live at most 1 h");
    }
    if (backendTokenLife.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("backend-services tokens live at most 300 s");
    }
  }

  public static ServerSettings defaults() {
    return new ServerSettings(
        Duration.ofSeconds(60),
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        Duration.ofHours(12),
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(3),
        Duration.ofSeconds(5));
  }
}
