package org.televisit.video.rooms;

/** No Janus node can take the room now; the caller tells the person video is unavailable. */
public class VideoUnavailable extends RuntimeException {
  public VideoUnavailable(String message) {
    super(message);
  }
}
