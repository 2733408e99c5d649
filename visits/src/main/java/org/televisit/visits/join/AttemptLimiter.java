package org.televisit.visits.join;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed one-minute windows of attempts per key (a link's hash, a client address). Per app node:
 * with N nodes an attacker gets at most N times the limit, while the birth-date lockout (5
 * failures) is counted in the database and holds across nodes.
 */
final class AttemptLimiter {

  private record Window(long minute, AtomicInteger count) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Clock clock;

  AttemptLimiter(Clock clock) {
    this.clock = clock;
  }

  /** Counts one attempt; false when the key already used up this minute's allowance. */
  boolean allow(String key, int perMinute) {
    long minute = clock.millis() / 60_000;
    if (windows.size() > 200_000) {
      windows.clear();
    }
    Window w =
        windows.compute(
            key,
            (k, old) ->
                old == null || old.minute() != minute
                    ? new Window(minute, new AtomicInteger())
                    : old);
    return w.count().incrementAndGet() <= perMinute;
  }
}
