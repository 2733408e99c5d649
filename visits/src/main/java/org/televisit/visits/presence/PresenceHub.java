package org.televisit.visits.presence;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * This node's open console streams per visit; a change is pushed to them as a fresh snapshot. On
 * shutdown the streams are ended first (the consoles' EventSource reconnects, to another node
 * behind the same address): an open stream would otherwise hold the graceful shutdown for its whole
 * timeout.
 */
@Component
public class PresenceHub implements SmartLifecycle {

  private volatile boolean running;

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    streams.values().forEach(set -> set.forEach(SseEmitter::complete));
    streams.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server's graceful shutdown (a lower phase), which waits for open requests. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  private final Map<String, Set<SseEmitter>> streams = new ConcurrentHashMap<>();
  private final ObjectProvider<Presence> presence;

  PresenceHub(ObjectProvider<Presence> presence) {
    this.presence = presence;
  }

  public SseEmitter open(String visitKey) {
    SseEmitter emitter = new SseEmitter(30L * 60 * 1000);
    Set<SseEmitter> set = streams.computeIfAbsent(visitKey, k -> new CopyOnWriteArraySet<>());
    set.add(emitter);
    Runnable remove = () -> set.remove(emitter);
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(e -> remove.run());
    send(emitter, snapshot(visitKey));
    return emitter;
  }

  void changed(String visitKey) {
    Set<SseEmitter> set = streams.get(visitKey);
    if (set == null || set.isEmpty()) {
      return;
    }
    List<Map<String, Object>> snapshot = snapshot(visitKey);
    for (SseEmitter emitter : set) {
      if (!send(emitter, snapshot)) {
        set.remove(emitter);
      }
    }
  }

  private List<Map<String, Object>> snapshot(String visitKey) {
    return presence.getObject().snapshot(visitKey).stream()
        .map(
            e -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("participant", e.participant());
              m.put("state", e.state());
              m.put("since", e.since().toString());
              return m;
            })
        .toList();
  }

  private static boolean send(SseEmitter emitter, Object data) {
    try {
      emitter.send(SseEmitter.event().name("presence").data(data));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }
}
