/*!
 * KMS Lab embed.js: put the lab in a page on any origin and drive it.
 *
 *   <div id="lab"></div>
 *   <script src="https://example.org/labs/kms/embed.js"></script>
 *   <script>
 *     KmsLab.embed(document.getElementById('lab'), { route: 'scenario/key-rotation' })
 *       .then(function (lab) {
 *         lab.on('completed', function (e) { console.log('solved', e.score); });
 *         return lab.run('aws sts get-caller-identity');
 *       });
 *   </script>
 *
 * KmsLab.embed(element, options) -> Promise<handle>
 *   element  an Element or a CSS selector; the iframe is appended to it.
 *   options  route     'terminal' (default), 'scenario/<id>', 'quiz/<topic>', 'quiz/q/<question-id>'
 *            instance  storage namespace (?instance=NAME); the lab derives one from the route if absent
 *            base      URL of the lab's index.html directory; defaults to where embed.js was loaded from
 *            theme     'light' | 'dark'; absent: the lab follows prefers-color-scheme
 *            height    the iframe's height (CSS px) until the lab reports its own; default 480
 *            autoResize  false keeps the iframe at `height` (default true: follow `resize` events)
 *            title     the iframe's accessible title; default 'KMS Lab'
 *            timeout   ms to wait for the handshake before the promise rejects; default 60000
 *
 * The promise resolves once the handshake is done (the lab's `ready` answered our `hello`).
 * handle.run(line)     -> Promise<{ok, exitCode, stdout, stderr, json}>, like window.kmsLab.run:
 *                         never rejects for a failing command (ok:false); a protocol failure
 *                         resolves as {ok:false, error:{code, message}}.
 * handle.reset()       -> Promise<undefined>
 * handle.state()       -> Promise<state document>
 * handle.load(state)   -> Promise<undefined>
 * handle.start(id)     -> Promise<undefined>
 *   reset/state/load/start reject with an Error whose `code` and `message` are the lab's
 *   error.code and error.message when the lab answers ok:false; every pending request rejects
 *   with code 'destroyed' on destroy().
 * handle.on(type, fn)  -> function that unsubscribes. Types: 'ready', 'resize', 'objective',
 *                         'completed', 'answered', 'changed', or '*' for all; fn gets the message.
 * handle.off(type, fn)
 * handle.destroy()     removes the iframe and stops listening.
 * handle.iframe, handle.origin, handle.url, handle.route: what was embedded; handle.version and
 * handle.labRoute: what the lab's last `ready` said (its version and its route).
 *
 * Security: messages are accepted only from this iframe's window and the lab's origin, and are
 * posted only to the lab's origin (never '*').
 */
(function (global) {
  'use strict';

  var PROTOCOL = 1;
  var EVENT_TYPES = ['ready', 'resize', 'objective', 'completed', 'answered', 'changed'];
  var script = document.currentScript;
  var scriptBase = script && script.src ? new URL('./', script.src).href : null;
  var sequence = 0;

  function labError(code, message) {
    var err = new Error(message || code);
    err.code = code;
    return err;
  }

  function later(fn) {
    // A listener that throws must not stop the others, nor the lab's reply handling.
    setTimeout(fn, 0);
  }

  function frameUrl(options) {
    var base = new URL(options.base || scriptBase || './', document.baseURI);
    base.hash = '';
    var route = String(options.route || 'terminal')
      .replace(/^#/, '')
      .replace(/^\/+/, '')
      .replace(/^embed\//, '');
    if (options.instance != null && options.instance !== '') {
      base.searchParams.set('instance', String(options.instance));
    }
    if (options.theme) base.searchParams.set('theme', String(options.theme));
    base.hash = '#/embed/' + route;
    return { url: base.href, route: route, origin: base.origin };
  }

  function embed(element, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      var host = typeof element === 'string' ? document.querySelector(element) : element;
      if (!host || typeof host.appendChild !== 'function') {
        throw labError('bad-element', 'KmsLab.embed: no element to put the lab in');
      }
      var target = frameUrl(options);
      var origin = target.origin;
      var iframe = document.createElement('iframe');
      var listeners = {};
      var pending = {};
      var confirmed = false;
      var answeredReady = false;
      var settled = false;
      var destroyed = false;
      var loads = 0;
      var helloTimer = null;
      var timeoutTimer = null;
      var autoResize = options.autoResize !== false;
      var handle;

      iframe.src = target.url;
      iframe.title = options.title || 'KMS Lab';
      // The lab sends its first `ready` to document.referrer's origin: make sure it has one.
      iframe.referrerPolicy = 'origin';
      iframe.setAttribute('allow', 'clipboard-read; clipboard-write');
      iframe.setAttribute('data-kmslab-route', target.route);
      iframe.style.display = 'block';
      iframe.style.width = '100%';
      iframe.style.border = '0';
      iframe.style.height = (Number(options.height) > 0 ? Number(options.height) : 480) + 'px';

      function post(message) {
        if (destroyed || !iframe.contentWindow) return;
        message.kmslab = PROTOCOL;
        try {
          iframe.contentWindow.postMessage(message, origin);
        } catch (err) {
          // An origin postMessage cannot address (a base that is not http(s)): nothing is sent,
          // and the handshake times out.
        }
      }

      function hello() {
        post({ type: 'hello' });
      }

      function emit(type, message) {
        [type, '*'].forEach(function (key) {
          (listeners[key] || []).slice().forEach(function (fn) {
            try {
              fn(message);
            } catch (err) {
              later(function () { throw err; });
            }
          });
        });
      }

      function stopTimers() {
        if (helloTimer) clearInterval(helloTimer);
        if (timeoutTimer) clearTimeout(timeoutTimer);
        helloTimer = timeoutTimer = null;
      }

      function onReady(message) {
        handle.version = message.version;
        if (message.route != null) handle.labRoute = message.route;
        if (!confirmed) {
          if (!answeredReady) {
            // A `ready` seen means the lab is listening: a hello sent now is heard, and the
            // lab answers it with another `ready`, which completes the handshake.
            answeredReady = true;
            hello();
            return;
          }
          confirmed = true;
          stopTimers();
          if (!settled) {
            settled = true;
            resolve(handle);
          }
        }
        emit('ready', message);
      }

      function onResult(message) {
        var request = pending[message.id];
        if (!request) return;
        delete pending[message.id];
        var fields = {};
        Object.keys(message).forEach(function (k) {
          if (k !== 'kmslab' && k !== 'type' && k !== 'id') fields[k] = message[k];
        });
        if (request.type === 'run') {
          request.resolve(fields);
        } else if (message.ok) {
          request.resolve(request.type === 'state' ? message.state : undefined);
        } else {
          var e = message.error || {};
          request.reject(labError(e.code || 'error', e.message || request.type + ' failed'));
        }
      }

      function onMessage(event) {
        if (destroyed || event.source !== iframe.contentWindow || event.origin !== origin) return;
        var message = event.data;
        if (!message || typeof message !== 'object' || message.kmslab !== PROTOCOL) return;
        if (typeof message.type !== 'string') return;
        if (message.type === 'ready') {
          onReady(message);
        } else if (message.type === 'result') {
          onResult(message);
        } else if (EVENT_TYPES.indexOf(message.type) >= 0) {
          if (message.type === 'resize' && autoResize) {
            var height = Number(message.height);
            if (isFinite(height) && height > 0) iframe.style.height = Math.ceil(height) + 'px';
          }
          emit(message.type, message);
        }
      }

      function onLoad() {
        loads += 1;
        if (loads > 1) {
          // The frame navigated (a reload): the new document needs its own handshake.
          confirmed = false;
          answeredReady = false;
          startHelloFallback();
        }
      }

      function startHelloFallback() {
        // Without a referrer the lab cannot send its first `ready`; hellos it hears are answered.
        if (helloTimer) clearInterval(helloTimer);
        var tries = 0;
        helloTimer = setInterval(function () {
          tries += 1;
          if (confirmed || destroyed || tries > 120) {
            clearInterval(helloTimer);
            helloTimer = null;
            return;
          }
          if (tries >= 3) hello();
        }, 1000);
      }

      function request(type, fields) {
        if (destroyed) return Promise.reject(labError('destroyed', 'the lab was removed'));
        sequence += 1;
        var id = 'kl-' + Date.now().toString(36) + '-' + sequence + '-' +
          Math.random().toString(36).slice(2, 8);
        return new Promise(function (res, rej) {
          pending[id] = { type: type, resolve: res, reject: rej };
          var message = { type: type, id: id };
          Object.keys(fields || {}).forEach(function (k) { message[k] = fields[k]; });
          post(message);
        });
      }

      handle = {
        iframe: iframe,
        origin: origin,
        url: target.url,
        route: target.route,
        version: null,
        labRoute: null,
        run: function (line) { return request('run', { line: String(line) }); },
        reset: function () { return request('reset'); },
        state: function () { return request('state'); },
        load: function (state) { return request('load', { state: state }); },
        start: function (id) { return request('start', { scenario: String(id) }); },
        on: function (type, fn) {
          if (typeof fn !== 'function') throw new TypeError('on(type, fn): fn must be a function');
          (listeners[type] = listeners[type] || []).push(fn);
          return function () { handle.off(type, fn); };
        },
        off: function (type, fn) {
          var list = listeners[type] || [];
          var at = list.indexOf(fn);
          if (at >= 0) list.splice(at, 1);
        },
        destroy: function () {
          if (destroyed) return;
          destroyed = true;
          stopTimers();
          window.removeEventListener('message', onMessage);
          iframe.removeEventListener('load', onLoad);
          Object.keys(pending).forEach(function (id) {
            pending[id].reject(labError('destroyed', 'the lab was removed'));
          });
          pending = {};
          listeners = {};
          if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
          if (!settled) {
            settled = true;
            reject(labError('destroyed', 'the lab was removed before it was ready'));
          }
        },
      };

      window.addEventListener('message', onMessage);
      iframe.addEventListener('load', onLoad);
      var timeout = options.timeout == null ? 60000 : Number(options.timeout);
      if (timeout > 0) {
        timeoutTimer = setTimeout(function () {
          if (settled) return;
          settled = true;
          var err = labError('timeout', 'KMS Lab did not answer the handshake from ' + target.url +
            ' within ' + timeout + ' ms');
          handle.destroy();
          reject(err);
        }, timeout);
      }
      host.appendChild(iframe);
      startHelloFallback();
    });
  }

  var api = global.KmsLab || {};
  api.embed = embed;
  api.protocol = PROTOCOL;
  global.KmsLab = api;
})(typeof window !== 'undefined' ? window : this);
