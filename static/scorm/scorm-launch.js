/*
 * KMS Lab SCORM 1.2 launch page (the package's SCO).
 *
 * 1. Finds the LMS's SCORM 1.2 `API` object on the parent/opener chain (the ADL discovery
 *    algorithm) and calls LMSInitialize("").
 * 2. Embeds the lab view of this package (window.KMSLAB_SCORM, written by `cargo xtask scorm`)
 *    with embed.js, in a storage instance of its own per package (and per learner).
 * 3. On `objective`, `completed` and `answered` it sets cmi.core.score.raw/min/max (percent,
 *    0-100), cmi.core.lesson_status (incomplete, then passed, or completed for a quiz below the
 *    pass mark) and cmi.suspend_data, then calls LMSCommit("").
 * 4. cmi.suspend_data keeps the progress (one character per objective or question) and, only
 *    while the whole record fits SCORM 1.2's 4,096 characters, the lab's state document; a larger
 *    world stays in the browser (the lab saves it in its instance).
 * 5. On pagehide: cmi.core.session_time, cmi.core.exit, LMSCommit(""), LMSFinish("").
 *
 * Without an LMS (the page opened on its own) the lab still works and nothing is recorded.
 * window.kmslabScorm exposes { config, ready: Promise<lab handle>, lms, progress(), suspendData() }
 * for debugging and tests.
 */
(function () {
  'use strict';

  var SUSPEND_LIMIT = 4096;
  var config = window.KMSLAB_SCORM || {};
  var kind = config.kind === 'quiz' ? 'quiz' : 'scenario';
  var items = (kind === 'quiz' ? config.questions : config.objectives) || [];
  var mastery = Number(config.mastery) >= 0 ? Number(config.mastery) : 100;
  var statusEl = document.getElementById('kmslab-scorm-status');
  var startedAt = Date.now();

  // ---------------------------------------------------------------- LMS API discovery
  function findAPI(win) {
    var tries = 0;
    try {
      while (win && win.API == null && win.parent != null && win.parent !== win) {
        tries += 1;
        if (tries > 7) return null;
        win = win.parent;
      }
      return win && win.API != null ? win.API : null;
    } catch (e) {
      return null; // a cross-origin frame on the chain
    }
  }

  function getAPI() {
    var api = findAPI(window);
    try {
      if (api == null && window.opener != null) api = findAPI(window.opener);
      if (api == null && window.top && window.top.opener != null) api = findAPI(window.top.opener);
    } catch (e) {
      /* an opener on another origin */
    }
    return api;
  }

  var lms = {
    api: null,
    initialized: false,
    finished: false,
    commits: 0,
    init: function () {
      this.api = getAPI();
      if (!this.api) return false;
      try {
        this.initialized = String(this.api.LMSInitialize('')) === 'true';
      } catch (e) {
        this.initialized = false;
      }
      return this.initialized;
    },
    get: function (name) {
      if (!this.initialized || this.finished) return '';
      try {
        var v = this.api.LMSGetValue(name);
        return v == null ? '' : String(v);
      } catch (e) {
        return '';
      }
    },
    set: function (name, value) {
      if (!this.initialized || this.finished) return false;
      try {
        return String(this.api.LMSSetValue(name, String(value))) === 'true';
      } catch (e) {
        return false;
      }
    },
    commit: function () {
      if (!this.initialized || this.finished) return false;
      this.commits += 1;
      try {
        return String(this.api.LMSCommit('')) === 'true';
      } catch (e) {
        return false;
      }
    },
    finish: function () {
      if (!this.initialized || this.finished) return false;
      this.finished = true;
      try {
        return String(this.api.LMSFinish('')) === 'true';
      } catch (e) {
        return false;
      }
    },
  };

  // ---------------------------------------------------------------- progress
  // marks[i]: '1' objective passed / question answered right, '0' answered wrong, '-' not yet.
  var marks = [];
  var completed = false;
  var best = 0;
  var world = null; // the latest state document seen (kept in suspend_data only if it fits)
  var worldInSuspend = false;
  for (var i = 0; i < items.length; i++) marks.push('-');

  function setMark(id, value) {
    var at = items.indexOf(id);
    if (at < 0) return false;
    marks[at] = value;
    return true;
  }

  function counts() {
    var right = 0;
    var done = 0;
    marks.forEach(function (m) {
      if (m === '1') right += 1;
      if (m !== '-') done += 1;
    });
    return { right: right, done: done, total: items.length };
  }

  function percent() {
    var c = counts();
    if (kind === 'scenario' && completed) return 100;
    return c.total ? Math.round((100 * c.right) / c.total) : 0;
  }

  var RANK = { 'not attempted': 0, browsed: 1, incomplete: 2, failed: 3, completed: 4, passed: 5 };

  function status() {
    var c = counts();
    if (kind === 'scenario') return completed ? 'passed' : 'incomplete';
    if (c.total && c.done === c.total) return best >= mastery ? 'passed' : 'completed';
    return 'incomplete';
  }

  function record(withWorld) {
    var data = { kmslab: 1, kind: kind, id: config.id, m: marks.join(''), b: best };
    if (completed) data.c = 1;
    if (withWorld && world) data.w = world;
    return JSON.stringify(data);
  }

  /** The suspend_data string: with the world if it fits in 4,096 characters, else without. */
  function suspendData() {
    var full = world ? record(true) : null;
    if (full && full.length <= SUSPEND_LIMIT) {
      worldInSuspend = true;
      return full;
    }
    worldInSuspend = false;
    var small = record(false);
    return small.length <= SUSPEND_LIMIT ? small : JSON.stringify({ kmslab: 1, b: best, c: completed ? 1 : 0 });
  }

  function restore(text) {
    if (!text) return null;
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return null;
    }
    if (!data || data.kmslab !== 1 || data.kind !== kind || data.id !== config.id) return null;
    if (typeof data.m === 'string' && data.m.length === marks.length) marks = data.m.split('');
    if (data.c) completed = true;
    if (Number(data.b) > best) best = Number(data.b);
    return data.w && typeof data.w === 'object' ? data.w : null;
  }

  var reviewOnly = false;
  var reported = '';

  function show(text) {
    if (statusEl) statusEl.textContent = text;
  }

  function describe() {
    var c = counts();
    var what = kind === 'quiz'
      ? c.right + ' of ' + c.total + ' right (' + c.done + ' answered)'
      : c.right + ' of ' + c.total + ' objectives';
    if (!lms.initialized) return what + ' · no LMS found: nothing is recorded';
    return what + ' · score ' + best + '% · ' + (reported || status()) +
      (worldInSuspend ? '' : ' · the lab is saved in this browser');
  }

  /** Sends score, status and suspend_data to the LMS; commits when asked. */
  function report(commit) {
    best = Math.max(best, percent());
    if (lms.initialized && !reviewOnly) {
      lms.set('cmi.core.score.min', '0');
      lms.set('cmi.core.score.max', '100');
      lms.set('cmi.core.score.raw', String(best));
      var next = status();
      var current = lms.get('cmi.core.lesson_status');
      // Never step back (a passed lesson stays passed when an objective fails again later).
      if ((RANK[next] || 0) >= (RANK[current] || 0) || current === 'failed') {
        lms.set('cmi.core.lesson_status', next);
        reported = next;
      } else {
        reported = current;
      }
      lms.set('cmi.suspend_data', suspendData());
      if (commit) lms.commit();
    }
    show(describe());
  }

  function sessionTime() {
    var s = Math.max(0, (Date.now() - startedAt) / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var sec = (s % 60).toFixed(2);
    function pad(n, w) {
      n = String(n);
      while (n.length < w) n = '0' + n;
      return n;
    }
    return pad(Math.min(h, 9999), 2) + ':' + pad(m, 2) + ':' + pad(sec, 5);
  }

  function finish() {
    if (!lms.initialized || lms.finished) return;
    if (!reviewOnly) {
      lms.set('cmi.suspend_data', suspendData());
      var st = lms.get('cmi.core.lesson_status');
      lms.set('cmi.core.exit', st === 'passed' || st === 'completed' ? '' : 'suspend');
    }
    lms.set('cmi.core.session_time', sessionTime());
    lms.commit();
    lms.finish();
  }

  // ---------------------------------------------------------------- start
  function hash(text) {
    var h = 5381;
    for (var k = 0; k < text.length; k++) h = ((h * 33) ^ text.charCodeAt(k)) >>> 0;
    return h.toString(36);
  }

  lms.init();
  var savedWorld = null;
  if (lms.initialized) {
    reviewOnly = lms.get('cmi.core.lesson_mode') === 'review';
    savedWorld = restore(lms.get('cmi.suspend_data'));
    var raw = Number(lms.get('cmi.core.score.raw'));
    if (isFinite(raw) && raw > best) best = raw;
    if (!reviewOnly) {
      var initial = lms.get('cmi.core.lesson_status');
      if (initial === '' || initial === 'not attempted') lms.set('cmi.core.lesson_status', 'incomplete');
      report(true);
    }
  }
  show(describe());

  var student = lms.get('cmi.core.student_id');
  var instance = ('scorm-' + kind + '-' + (config.id || 'lab')).replace(/[^A-Za-z0-9_-]/g, '-') +
    (student ? '-' + hash(student) : '');
  var query = new URLSearchParams(location.search);

  var changeTimer = null;
  function snapshot(lab) {
    if (changeTimer) clearTimeout(changeTimer);
    changeTimer = setTimeout(function () {
      changeTimer = null;
      lab.state().then(function (doc) {
        world = doc;
        if (lms.initialized && !reviewOnly && !lms.finished) lms.set('cmi.suspend_data', suspendData());
        show(describe());
      }, function () { /* the lab is going away */ });
    }, 300);
  }

  function scenarioStarted(doc) {
    var p = doc && doc.session && doc.session.progress;
    return !!(p && p.scenarios && p.scenarios[config.id]);
  }

  var ready = window.KmsLab.embed(document.getElementById('kmslab-scorm-lab'), {
    route: config.route || 'terminal',
    instance: instance,
    theme: query.get('theme') || undefined,
    title: 'KMS Lab: ' + (config.title || ''),
    height: Math.max(480, window.innerHeight - 32),
  }).then(function (lab) {
    lab.on('objective', function (e) {
      if (kind !== 'scenario' || e.scenario !== config.id) return;
      if (setMark(e.objective, e.passed ? '1' : '-')) report(true);
    });
    lab.on('completed', function (e) {
      if (kind !== 'scenario' || e.scenario !== config.id) return;
      completed = true;
      items.forEach(function (id) { setMark(id, '1'); });
      report(true);
    });
    lab.on('answered', function (e) {
      if (kind !== 'quiz') return;
      if (setMark(e.question, e.correct ? '1' : '0')) report(true);
    });
    lab.on('changed', function () { snapshot(lab); });
    var loaded = savedWorld
      ? lab.load(savedWorld).then(null, function () { /* an older or foreign document: keep the browser's */ })
      : Promise.resolve();
    return loaded.then(function () {
      if (kind !== 'scenario' || !config.id) return undefined;
      return lab.state().then(function (doc) {
        world = doc;
        return scenarioStarted(doc) ? undefined : lab.start(config.id);
      });
    }).then(function () {
      show(describe());
      return lab;
    });
  });
  ready.then(null, function (err) {
    show('KMS Lab did not start: ' + (err && err.message ? err.message : err));
  });

  window.addEventListener('pagehide', finish);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && lms.initialized && !lms.finished && !reviewOnly) {
      lms.set('cmi.suspend_data', suspendData());
      lms.commit();
    }
  });

  window.kmslabScorm = {
    config: config,
    ready: ready,
    lms: lms,
    instance: instance,
    progress: function () {
      return { marks: marks.join(''), completed: completed, best: best, status: status(), worldInSuspend: worldInSuspend };
    },
    suspendData: suspendData,
    finish: finish,
  };
})();
