// The patient's (and every guest's) page: a camera and microphone check while waiting, then the visit
// once the clinician lets them in (the server answers with their own Janus join data). Controls: mute,
// camera, switch camera, device choice, leave. Reloading rejoins, and so does a dropped connection.
// When the clinician ends the visit, every camera and microphone is released at once.
'use strict';
(function () {
  const $ = id => document.getElementById(id);
  const page = document.body.dataset;
  const clinician = $('tiles').dataset.clinician || 'Your clinician';
  const say = text => { $('status').textContent = text; };
  let joined = false, over = false, inCall = false, muted = false, cameraOn = true;
  // how often a waiting page asks whether it was let in: the Admit -> media figure's floor (issue 18);
  // a push over the presence stream would remove it
  const POLL_MS = 400;
  let audioDevice = null, videoDevice = null;

  // tiles are named by role: Janus knows roles, never patients' names
  const label = display => ({ Clinician: clinician, Patient: 'Patient' })[display] || display || 'Guest';
  const els = { local: $('local'), tiles: $('tiles'), label, changed: () => {
    const others = $('tiles').querySelectorAll('figure.tile:not(#self)').length;
    if (inCall && others === 0) say(clinician + ' is not in the call at the moment. Please stay on this page.');
    else if (inCall) say('You are in your visit.');
  } };

  function preview() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      $('devices').textContent = 'This browser cannot use a camera here. Open the link in an up-to-date browser.';
      return Promise.resolve();
    }
    const constraints = { audio: audioDevice ? { deviceId: { exact: audioDevice } } : true,
      video: videoDevice ? { deviceId: { exact: videoDevice } } : true };
    return navigator.mediaDevices.getUserMedia(constraints)
      .then(stream => {
        if (joined) { stream.getTracks().forEach(t => t.stop()); return; }
        const old = $('local').srcObject;
        if (old) old.getTracks().forEach(t => t.stop());
        $('local').srcObject = stream;
        // when the patient first sees themselves (the Fast-3G figure of bench/visit.sh fast-3g)
        $('local').addEventListener('playing', () => { page.previewAt = page.previewAt || String(Math.round(performance.now())); },
          { once: true });
        $('devices').textContent = 'Your camera and microphone work.';
        $('retry').hidden = true;
        return listDevices();
      })
      .catch(() => {
        $('devices').textContent = 'This page may not use your camera and microphone. Allow them (the camera icon in the'
          + ' address bar, or your browser\'s site settings), then press Try again.';
        $('retry').hidden = false;
      });
  }

  function listDevices() {
    return navigator.mediaDevices.enumerateDevices().then(devices => {
      const fill = (select, kind, current) => {
        const list = devices.filter(d => d.kind === kind);
        select.textContent = '';
        list.forEach((d, i) => {
          const o = document.createElement('option');
          o.value = d.deviceId;
          o.textContent = d.label || (kind === 'videoinput' ? 'Camera ' : 'Microphone ') + (i + 1);
          if (d.deviceId === current) o.selected = true;
          select.append(o);
        });
        return list.length;
      };
      const cameras = fill($('camera-choice'), 'videoinput', videoDevice);
      fill($('mic-choice'), 'audioinput', audioDevice);
      $('switch-camera').hidden = cameras < 2;
    });
  }

  function poll() {
    if (joined || over) return;
    fetch('/api/waiting-room', { credentials: 'same-origin', cache: 'no-store' }).then(r => {
      if (r.status === 401) { ended(); return {}; } // the visit is over (or the link was withdrawn)
      return r.json();
    }).then(body => {
      if (body.ended) { ended(); return; }
      if (body.admitted) {
        joined = true;
        const preview = $('local').srcObject;
        if (preview) preview.getTracks().forEach(t => t.stop());
        say(clinician + ' let you in. Connecting…');
        return TelevisitVideo.join(body.join, Object.assign(els, { audioDevice, videoDevice }), reconnect, ended)
          .then(() => {
            inCall = true; page.inCall = 'true'; $('leave').hidden = false; els.changed();
            // no longer a waiting room: the page says where the patient is
            document.querySelector('h1').textContent = document.title = 'Your visit';
            $('where').textContent = 'This is';
          })
          .catch(e => { joined = false; throw e; }); // Janus did not take the join: ask again
      }
      if (body.message) say(body.message);
    }).catch(() => {}).finally(() => { if (!joined && !over) setTimeout(poll, POLL_MS); });
  }

  // a dropped connection (network change, server restart) rejoins with the same link while the visit is open
  let rejoins = 0;
  function reconnect() {
    page.rejoins = String(++rejoins);
    TelevisitVideo.leave();
    joined = false; inCall = false;
    say('The connection was lost. Reconnecting…');
    setTimeout(poll, 1000);
  }

  // the clinician ended the visit: everything this page opened is closed, and it says so
  function ended() {
    if (over) return;
    over = true; joined = true; inCall = false;
    TelevisitVideo.leave();
    const local = $('local').srcObject;
    if (local) local.getTracks().forEach(t => t.stop());
    $('local').srcObject = null;
    $('tiles').querySelectorAll('figure.tile:not(#self)').forEach(t => t.remove());
    $('controls').hidden = true;
    $('devices').hidden = true;
    $('self').hidden = true;
    $('waiting').hidden = true;
    document.querySelector('details.devices-choice').hidden = true;
    document.querySelector('h1').textContent = 'Your visit has ended';
    document.title = 'Your visit has ended';
    say('This visit has ended. Your camera and microphone are off. You can close this page.');
    page.releasedAt = String(Date.now());
    page.ended = 'true';
  }

  $('mute').onclick = () => {
    muted = !muted;
    TelevisitVideo.mute(muted);
    const stream = $('local').srcObject;
    if (!inCall && stream) stream.getAudioTracks().forEach(t => { t.enabled = !muted; });
    $('mute').textContent = muted ? 'Unmute' : 'Mute';
    $('mute').setAttribute('aria-pressed', String(muted));
    $('self-state').textContent = [muted && 'muted', !cameraOn && 'camera off'].filter(Boolean).join(', ');
  };
  $('camera').onclick = () => {
    cameraOn = !cameraOn;
    TelevisitVideo.camera(cameraOn);
    const stream = $('local').srcObject;
    if (!inCall && stream) stream.getVideoTracks().forEach(t => { t.enabled = cameraOn; });
    $('camera').textContent = cameraOn ? 'Camera off' : 'Camera on';
    $('camera').setAttribute('aria-pressed', String(!cameraOn));
    $('self-state').textContent = [muted && 'muted', !cameraOn && 'camera off'].filter(Boolean).join(', ');
  };
  const choose = (kind, id) => {
    if (kind === 'video') videoDevice = id; else audioDevice = id;
    return inCall ? TelevisitVideo.useDevice(kind, id) : preview();
  };
  $('camera-choice').onchange = e => choose('video', e.target.value);
  $('mic-choice').onchange = e => choose('audio', e.target.value);
  $('switch-camera').onclick = () => {
    const options = [...$('camera-choice').options];
    if (options.length < 2) return;
    const next = options[(options.findIndex(o => o.selected) + 1) % options.length];
    next.selected = true;
    choose('video', next.value);
  };
  $('retry').onclick = () => preview();
  $('leave').onclick = () => {
    TelevisitVideo.leave();
    joined = true; inCall = false;
    $('tiles').querySelectorAll('figure.tile:not(#self)').forEach(t => t.remove());
    say('You left the visit. Your camera and microphone are off.');
    ['leave', 'mute', 'camera', 'switch-camera'].forEach(id => { $(id).hidden = true; });
    $('rejoin').hidden = false;
  };
  $('rejoin').onclick = () => {
    $('rejoin').hidden = true;
    ['mute', 'camera'].forEach(id => { $(id).hidden = false; });
    joined = false;
    say('Joining again…');
    poll();
  };

  preview().then(poll);
})();
