package org.televisit.video.janus;

/**
 * One Janus server as configured: where the backend reaches its Janus API and Admin API, the
 * secrets it needs there, the address browsers use, and how many rooms it should carry.
 */
public record JanusNode(
    String id,
    String apiUrl,
    String adminUrl,
    String adminSecret,
    String videoroomAdminKey,
    String publicUrl,
    int capacity,
    boolean draining) {

  public JanusNode {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("a Janus node needs an id");
    if (capacity < 1)
      throw new IllegalArgumentException("Janus node " + id + ": capacity must be >= 1");
  }

  @Override
  public String toString() {
    return "JanusNode[" + id + " " + JanusHttp.hostOf(apiUrl) + ", capacity " + capacity + "]";
  }
}
