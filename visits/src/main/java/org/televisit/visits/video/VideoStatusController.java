package org.televisit.visits.video;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.televisit.video.janus.JanusAdminClient;
import org.televisit.video.rooms.NodePool;

/**
 * Whether video can run, for pages and operators: node ids and health only, never addresses or
 * secrets.
 */
@RestController
class VideoStatusController {

  private final VideoBackend backend;

  VideoStatusController(VideoBackend backend) {
    this.backend = backend;
  }

  @GetMapping("/api/video/status")
  Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    if (backend.pool().isEmpty()) {
      status.put("available", false);
      status.put("message", backend.unavailableReason());
      return status;
    }
    NodePool pool = backend.pool().get();
    List<Map<String, Object>> nodes =
        pool.clients().stream()
            .map(JanusAdminClient::node)
            .map(
                n ->
                    Map.<String, Object>of(
                        "id",
                        n.id(),
                        "healthy",
                        pool.isHealthy(n.id()),
                        "draining",
                        n.draining(),
                        "capacity",
                        n.capacity()))
            .toList();
    boolean available =
        nodes.stream().anyMatch(n -> (Boolean) n.get("healthy") && !(Boolean) n.get("draining"));
    status.put("available", available);
    status.put(
        "message", available ? "Video available." : "Video unavailable: no healthy video server.");
    status.put("nodes", nodes);
    return status;
  }
}
