// A run's page follows its events live (server-sent events). The page was rendered with every event up
// to data-after; the stream resumes from there, and the browser resumes with Last-Event-ID when the
// connection drops. At the run's end the page reloads to show the outcome as the server renders it.
(function () {
  'use strict';
  var run = document.getElementById('run');
  if (!run || run.dataset.terminal === 'true') {
    return;
  }
  var source = new EventSource('/api/v1/runs/' + encodeURIComponent(run.dataset.run) + '/events/stream?after=' + run.dataset.after);
  function text(id, value) {
    document.getElementById(id).textContent = value;
  }
  // how many events this page took live, kept across the reload at the end (the browser tests read it)
  var live = 'ferry-live-' + run.dataset.run;
  function data(e) {
    sessionStorage.setItem(live, String(Number(sessionStorage.getItem(live) || 0) + 1));
    return JSON.parse(e.data).event;
  }
  // the same rule as Views/RunProgress on the server: records when counted, else bytes, else files
  function percent(p) {
    var done = p.recordsTotal > 0 ? p.recordsDone / p.recordsTotal
      : p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal
      : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
    return Math.floor(Math.min(1, done) * 100);
  }
  function describe(p) {
    var parts = [p.phase];
    if (p.filesTotal > 0) parts.push('files ' + p.filesDone + '/' + p.filesTotal);
    if (p.recordsTotal > 0) parts.push('records ' + p.recordsDone + '/' + p.recordsTotal);
    return parts.join(' · ');
  }
  function log(line) {
    var li = document.createElement('li');
    li.textContent = line;
    document.getElementById('log').appendChild(li);
  }
  source.addEventListener('progress', function (e) {
    var p = data(e);
    var pc = percent(p);
    text('percent', pc);
    text('progress-text', describe(p));
    document.getElementById('progress-bar').style.width = pc + '%';
  });
  source.addEventListener('state', function (e) {
    var s = data(e);
    text('state', s.state);
    if (s.message) log(s.state + ': ' + s.message);
  });
  source.addEventListener('log', function (e) {
    var l = data(e);
    log(l.level + ': ' + l.message);
  });
  ['completed', 'delegated'].forEach(function (type) {
    source.addEventListener(type, function (e) {
      data(e);
      text('state', type);
      text('percent', 100);
      document.getElementById('progress-bar').style.width = '100%';
    });
  });
  ['failed', 'cancelled'].forEach(function (type) {
    source.addEventListener(type, function (e) {
      data(e);
      text('state', type);
    });
  });
  source.addEventListener('end', function () {
    source.close();
    window.location.reload();
  });
})();
