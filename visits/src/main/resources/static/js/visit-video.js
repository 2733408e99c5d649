// Televisit's video in the browser, on janus.js (Debian's libjs-janus-gateway, served at /vendor/janus/).
// join(data, els, onDrop, onEnded) publishes this browser's camera and microphone in the visit's room
// with the participant's own Janus token, and shows everyone else who publishes there, each in a
// labelled tile of els.tiles. Every camera and microphone the page opens is released by leave().
'use strict';
window.TelevisitVideo = (function () {
  let janus = null;
  const subscribers = [];
  const feeds = new Map(); // feed id -> its subscriber handle (null until attached)
  let publisher = null;

  // Every capture track any script of the page opened (janus.js, the waiting room's preview), so that
  // leaving releases all of them: a camera left on after the visit is the worst thing a page can do.
  const captured = new Set();
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = constraints => original(constraints).then(stream => {
      stream.getTracks().forEach(t => captured.add(t));
      return stream;
    });
  }
  function releaseCapture() {
    captured.forEach(t => t.stop());
    captured.clear();
  }
  function liveCaptureTracks() {
    let n = 0;
    captured.forEach(t => { if (t.readyState === 'live') n++; });
    return n;
  }

  function ready() {
    return new Promise(resolve => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies(), callback: resolve }));
  }

  // onDrop (optional) is called once when an established call is lost: the Janus session (server or
  // network gone) or this browser's own media connection (ICE failed, Janus hung up on it).
  // onEnded (optional) is called when the room itself is closed: the clinician ended the visit.
  let generation = 0; // a leave() ends the current call on purpose: no drop reported for it
  function join(data, els, onDrop, onEnded) {
    const mine = ++generation;
    let established = false, dropped = false;
    const drop = reason => {
      if (!established || dropped || mine !== generation) return;
      dropped = true;
      if (onDrop) onDrop(reason);
    };
    const ended = () => {
      if (mine !== generation) return;
      leave();
      if (onEnded) onEnded();
    };
    return ready().then(() => new Promise((resolve, reject) => {
      janus = new Janus({
        server: data.janusUrl, token: data.token, iceServers: [],
        success: () => attachPublisher(data, els, () => { established = true; resolve(); }, reject, drop, ended),
        error: e => (established ? drop(e) : reject(e)),
      });
    }));
  }

  function attachPublisher(data, els, resolve, reject, drop, ended) {
    janus.attach({
      plugin: 'janus.plugin.videoroom', opaqueId: data.opaqueId,
      success: handle => {
        publisher = handle;
        handle.send({ message: { request: 'join', ptype: 'publisher', room: data.room, pin: data.pin, id: data.feedId,
          display: data.display, token: data.token } });
      },
      error: reject,
      onmessage: (msg, jsep) => {
        if (msg.videoroom === 'joined') {
          publisher.createOffer({
            tracks: [{ type: 'audio', capture: els.audioDevice ? { deviceId: { exact: els.audioDevice } } : true, recv: false },
              { type: 'video', capture: els.videoDevice ? { deviceId: { exact: els.videoDevice } } : true, recv: false }],
            success: offer => publisher.send({ message: { request: 'configure', audio: true, video: true }, jsep: offer }),
            error: reject,
          });
          (msg.publishers || []).forEach(p => subscribe(data, p, els));
          resolve();
        } else if (msg.videoroom === 'destroyed') {
          ended();
          return;
        } else if (msg.videoroom === 'event' && msg.publishers) {
          msg.publishers.forEach(p => subscribe(data, p, els));
        } else if (msg.videoroom === 'event' && (msg.unpublished || msg.leaving)) {
          // someone left or hung up: drop their tile, so their next join is a fresh subscription
          const gone = feeds.get(msg.unpublished || msg.leaving);
          if (gone) gone.detach();
        }
        if (jsep) publisher.handleRemoteJsep({ jsep });
      },
      iceState: state => { if (state === 'failed' || state === 'closed') drop('ice ' + state); },
      webrtcState: on => { if (!on) drop('hangup'); },
      onlocaltrack: (track, on) => {
        if (on && track.kind === 'video' && els.local) els.local.srcObject = new MediaStream([track]);
      },
    });
  }

  // One labelled tile per other participant, in els.tiles; els.label(display) names it for this page.
  function subscribe(data, publisherInfo, els) {
    const feed = publisherInfo.id;
    if (feeds.has(feed)) return;
    feeds.set(feed, null);
    let handle = null, tile = null;
    const stream = new MediaStream();
    janus.attach({
      plugin: 'janus.plugin.videoroom', opaqueId: data.opaqueId,
      success: h => {
        handle = h;
        subscribers.push(h);
        feeds.set(feed, h);
        h.send({ message: { request: 'join', ptype: 'subscriber', room: data.room, pin: data.pin, streams: [{ feed }], token: data.token } });
      },
      onmessage: (msg, jsep) => {
        if (jsep) {
          handle.createAnswer({ jsep, tracks: [{ type: 'data' }],
            success: answer => handle.send({ message: { request: 'start', room: data.room }, jsep: answer }) });
        }
      },
      onremotetrack: (track, mid, on) => {
        if (!els.tiles) return;
        if (!tile) tile = newTile(els, publisherInfo.display);
        if (on) stream.addTrack(track); else stream.removeTrack(track);
        const video = tile.querySelector('video');
        if (video.srcObject !== stream) video.srcObject = stream;
      },
      oncleanup: () => {
        feeds.delete(feed);
        const at = subscribers.indexOf(handle);
        if (at >= 0) subscribers.splice(at, 1);
        if (tile) tile.remove();
        if (els.changed) els.changed();
      },
    });
  }

  function newTile(els, display) {
    const name = els.label ? els.label(display) : display;
    const tile = document.createElement('figure');
    tile.className = 'tile';
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.className = 'remote';
    video.setAttribute('aria-label', 'Video of ' + name);
    const caption = document.createElement('figcaption');
    caption.textContent = name;
    tile.append(video, caption);
    els.tiles.append(tile);
    if (els.changed) els.changed(name);
    return tile;
  }

  /** Bytes received so far over every subscription (what "inbound media" means in tests). */
  // Media bytes received so far, of one kind ('audio', 'video') or all.
  async function inboundBytes(kind) {
    let total = 0;
    for (const h of subscribers) {
      const pc = h.webrtcStuff && h.webrtcStuff.pc;
      if (!pc) continue;
      (await pc.getStats()).forEach(r => {
        if (r.type === 'inbound-rtp' && (!kind || r.kind === kind)) total += r.bytesReceived || 0;
      });
    }
    return total;
  }

  // Another camera or microphone in the call (a phone's front/back camera): the sender's track is replaced.
  function useDevice(kind, deviceId) {
    if (!publisher) return Promise.resolve();
    const pc = publisher.webrtcStuff && publisher.webrtcStuff.pc;
    const transceiver = pc && pc.getTransceivers().find(t => t.sender && t.sender.track && t.sender.track.kind === kind);
    if (!transceiver) return Promise.resolve();
    const old = transceiver.sender.track;
    return new Promise((resolve, reject) => publisher.replaceTracks({
      tracks: [{ type: kind, mid: transceiver.mid, capture: { deviceId: { exact: deviceId } } }],
      success: () => { if (old) { old.stop(); captured.delete(old); } resolve(); }, error: reject,
    }));
  }

  function mute(on) { if (publisher) on ? publisher.muteAudio() : publisher.unmuteAudio(); }
  function camera(on) { if (publisher) on ? publisher.unmuteVideo() : publisher.muteVideo(); }
  function leave() {
    generation++;
    if (janus) janus.destroy();
    janus = null;
    publisher = null;
    subscribers.length = 0;
    feeds.clear();
    releaseCapture();
  }

  // What the page sends now, by kind and device label (a camera switch changes the video one).
  function sending() {
    const pc = publisher && publisher.webrtcStuff && publisher.webrtcStuff.pc;
    return pc ? pc.getSenders().filter(s => s.track).map(s => ({ kind: s.track.kind, label: s.track.label,
      state: s.track.readyState, enabled: s.track.enabled, muted: s.track.muted })) : [];
  }

  return { join, inboundBytes, mute, camera, useDevice, leave, releaseCapture, liveCaptureTracks, sending };
})();
