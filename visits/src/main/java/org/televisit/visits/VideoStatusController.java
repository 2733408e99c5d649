package org.televisit.visits;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells pages and operators whether video can run; the console shows the message as it is. */
@RestController
class VideoStatusController {

  @GetMapping("/api/video/status")
  Map<String, Object> status() {
    return Map.of(
        "available", false,
        "message", "Video unavailable: no Janus node is configured (televisit.video.nodes).");
  }
}
