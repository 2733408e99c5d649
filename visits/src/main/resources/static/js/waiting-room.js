// The patient's waiting room: a camera and microphone check while waiting, then the visit once the
// clinician lets them in (the server answers with their own Janus join data). Reloading rejoins, and
// so does a dropped connection, on its own.
'use strict';
(function () {
  const $ = id => document.getElementById(id);
  let joined = false;
  navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    .then(stream => { $('local').srcObject = stream; $('devices').textContent = 'Your camera and microphone work.'; })
    .catch(() => { $('devices').textContent = 'Allow this page to use your camera and microphone (look for the camera icon in the address bar), then reload.'; });
  function poll() {
    if (joined) return;
    fetch('/api/waiting-room', { credentials: 'same-origin', cache: 'no-store' }).then(r => {
      if (r.status === 401) { // the visit is over (or the link was withdrawn): nothing to rejoin
        joined = true;
        $('status').textContent = 'This visit has ended. You can close this page.';
        return {};
      }
      return r.json();
    }).then(body => {
      if (body.admitted) {
        joined = true;
        const preview = $('local').srcObject;
        if (preview) preview.getTracks().forEach(t => t.stop());
        $('status').textContent = 'Your clinician let you in.';
        return TelevisitVideo.join(body.join, { local: $('local'), remote: $('remote') }, reconnect)
          .catch(e => { joined = false; throw e; }); // Janus did not take the join: ask again
      }
    }).catch(() => {}).finally(() => { if (!joined) setTimeout(poll, 1000); });
  }
  // a dropped connection (network change, server restart) rejoins with the same link while the visit is open
  let rejoins = 0;
  function reconnect() {
    document.body.dataset.rejoins = String(++rejoins);
    TelevisitVideo.leave();
    joined = false;
    $('status').textContent = 'The connection was lost. Reconnecting…';
    setTimeout(poll, 1000);
  }
  poll();
})();
