package org.televisit.video.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JanusEventsTest {

  final JanusEvents parser = new JanusEvents();

  List<VideoEvent> parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aGroupedBatchBecomesTypedEvents() {
    List<VideoEvent> events =
        parse(
            """
        [
          {"emitter":"j","type":64,"timestamp":1000000,"session_id":11,"handle_id":22,"opaque_id":"op-1",
           "event":{"plugin":"janus.plugin.videoroom","data":{"event":"joined","room":1234,"id":77,"display":"x"}}},
          {"emitter":"j","type":16,"timestamp":2000000,"session_id":11,"handle_id":22,"opaque_id":"op-1",
           "event":{"connection":"webrtcup"}},
          {"emitter":"j","type":32,"timestamp":3000000,"session_id":11,"handle_id":22,"opaque_id":"op-1",
           "event":{"media":"video","receiving":false}},
          {"emitter":"j","type":32,"timestamp":3500000,"session_id":11,"handle_id":22,"opaque_id":"op-1",
           "event":{"media":"video","receiving":true}},
          {"emitter":"j","type":16,"timestamp":4000000,"session_id":11,"handle_id":22,"opaque_id":"op-1",
           "event":{"connection":"hangup","reason":"DTLS alert"}},
          {"emitter":"j","type":64,"timestamp":5000000,"session_id":0,
           "event":{"plugin":"janus.plugin.videoroom","data":{"event":"leaving","room":1234,"id":77}}},
          {"emitter":"j","type":1,"timestamp":6000000,"session_id":11,"event":{"name":"timeout"}}
        ]""");
    assertThat(events)
        .extracting(VideoEvent::kind)
        .containsExactly(
            VideoEvent.Kind.JOINED,
            VideoEvent.Kind.WEBRTC_UP,
            VideoEvent.Kind.MEDIA_STOPPED,
            VideoEvent.Kind.MEDIA_RECEIVING,
            VideoEvent.Kind.HANGUP,
            VideoEvent.Kind.LEFT,
            VideoEvent.Kind.SESSION_TIMEOUT);
    VideoEvent joined = events.get(0);
    assertThat(joined.opaqueId()).isEqualTo("op-1");
    assertThat(joined.room()).isEqualTo(1234L);
    assertThat(joined.feedId()).isEqualTo(77L);
    assertThat(joined.at().toEpochMilli()).isEqualTo(1000L);
    assertThat(events.get(2).media()).isEqualTo("video");
    assertThat(events.get(5).opaqueId()).isNull();
  }

  @Test
  void aSingleEventAndUninterestingEventsAreFine() {
    assertThat(
            parse(
                "{\"type\":2,\"timestamp\":1,\"session_id\":1,\"event\":{\"name\":\"attached\"}}"))
        .isEmpty();
    assertThat(
            parse(
                "{\"type\":1,\"timestamp\":1,\"session_id\":1,\"event\":{\"name\":\"destroyed\"}}"))
        .extracting(VideoEvent::kind)
        .containsExactly(VideoEvent.Kind.SESSION_DESTROYED);
    assertThat(
            parse(
                "{\"type\":64,\"timestamp\":1,\"session_id\":1,\"event\":{\"plugin\":\"janus.plugin.echotest\",\"data\":{}}}"))
        .isEmpty();
  }

  @Test
  void whatIsNotJanusEventJsonIsRefused() {
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(JanusEvents.MalformedEvents.class);
    assertThatThrownBy(() -> parse("42")).isInstanceOf(JanusEvents.MalformedEvents.class);
    assertThatThrownBy(() -> parse("[{\"no\":\"type\"}]"))
        .isInstanceOf(JanusEvents.MalformedEvents.class);
  }
}
