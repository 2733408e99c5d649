// Televisit's video in the browser, on janus.js (Debian's libjs-janus-gateway, served at /vendor/janus/).
// join(data, els) publishes this browser's camera and microphone in the visit's room with the
// participant's own Janus token, and shows everyone else who publishes there.
'use strict';
window.TelevisitVideo = (function () {
  let janus = null;
  const subscribers = [];
  const feeds = new Map(); // feed id -> its subscriber handle (null until attached)
  let publisher = null;

  function ready() {
    return new Promise(resolve => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies(), callback: resolve }));
  }

  // onDrop (optional) is called once when an established call is lost: the Janus session (server or
  // network gone) or this browser's own media connection (ICE failed, Janus hung up on it).
  let generation = 0; // a leave() ends the current call on purpose: no drop reported for it
  function join(data, els, onDrop) {
    const mine = ++generation;
    let established = false, dropped = false;
    const drop = reason => {
      if (!established || dropped || mine !== generation) return;
      dropped = true;
      if (onDrop) onDrop(reason);
    };
    return ready().then(() => new Promise((resolve, reject) => {
      janus = new Janus({
        server: data.janusUrl, token: data.token, iceServers: [],
        success: () => attachPublisher(data, els, () => { established = true; resolve(); }, reject, drop),
        error: e => (established ? drop(e) : reject(e)),
      });
    }));
  }

  function attachPublisher(data, els, resolve, reject, drop) {
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
            tracks: [{ type: 'audio', capture: true, recv: false }, { type: 'video', capture: true, recv: false }],
            success: offer => publisher.send({ message: { request: 'configure', audio: true, video: true }, jsep: offer }),
            error: reject,
          });
          (msg.publishers || []).forEach(p => subscribe(data, p.id, els));
          resolve();
        } else if (msg.videoroom === 'event' && msg.publishers) {
          msg.publishers.forEach(p => subscribe(data, p.id, els));
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

  // One tile per other participant: the first in els.remote, the others (guests) in videos added after it.
  function subscribe(data, feed, els) {
    if (feeds.has(feed)) return;
    feeds.set(feed, null);
    let handle = null, view = null;
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
        if (!els.remote) return;
        if (!view) view = els.remote.srcObject ? tileAfter(els.remote) : els.remote;
        if (on) stream.addTrack(track); else stream.removeTrack(track);
        if (view.srcObject !== stream) view.srcObject = stream;
      },
      oncleanup: () => {
        feeds.delete(feed);
        const at = subscribers.indexOf(handle);
        if (at >= 0) subscribers.splice(at, 1);
        if (view && view !== els.remote) view.remove(); else if (view) view.srcObject = null;
      },
    });
  }

  function tileAfter(first) {
    const tile = document.createElement('video');
    tile.autoplay = true;
    tile.playsInline = true;
    tile.className = 'remote';
    let last = first;
    while (last.nextElementSibling && last.nextElementSibling.classList.contains('remote')) last = last.nextElementSibling;
    last.after(tile);
    return tile;
  }

  /** Bytes received so far over every subscription (what "inbound media" means in tests). */
  async function inboundBytes() {
    let total = 0;
    for (const h of subscribers) {
      const pc = h.webrtcStuff && h.webrtcStuff.pc;
      if (!pc) continue;
      (await pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp') total += r.bytesReceived || 0; });
    }
    return total;
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
  }

  return { join, inboundBytes, mute, camera, leave };
})();
