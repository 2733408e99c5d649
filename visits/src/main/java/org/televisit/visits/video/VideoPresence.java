package org.televisit.visits.video;

import java.util.Optional;
import org.televisit.video.events.VideoEvent;
import org.televisit.video.rooms.Admission;

/**
 * A Janus event, with the admitted participant it concerns when Televisit knows them. Published as
 * a Spring application event for the presence and waiting-room features to consume.
 */
public record VideoPresence(VideoEvent event, Optional<Admission> participant) {}
