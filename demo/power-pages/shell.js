// The part of Power Pages' `window.shell` object that Web API callers use: `shell.getTokenDeferred()` fetches the
// anti-forgery token from /_layout/tokenhtml (which answers `<input name="__RequestVerificationToken" type="hidden"
// value="…" />`) and returns a jQuery Deferred. Power Pages ships jQuery: when the page has it (the demo server
// serves node_modules/jquery when that package is installed), the Deferred is jQuery's own; otherwise it is a small
// look-alike with the methods callers use: done, fail, always, then (a thenable, so `await` works too).
(function () {
  'use strict';

  function deferred(promise) {
    var d = {
      done: function (fn) { promise.then(fn, function () {}); return d; },
      fail: function (fn) { promise.then(null, fn); return d; },
      always: function (fn) { promise.then(fn, fn); return d; },
      then: function (ok, ko) { return deferred(promise.then(ok, ko)); },
      catch: function (ko) { return deferred(promise.then(null, ko)); },
      promise: function () { return d; },
      state: function () { return state; },
    };
    var state = 'pending';
    promise.then(function () { state = 'resolved'; }, function () { state = 'rejected'; });
    return d;
  }

  function readToken(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var input = doc.querySelector('input[name="__RequestVerificationToken"]');
    if (!input || !input.value) throw new Error('No __RequestVerificationToken in /_layout/tokenhtml.');
    return input.value;
  }

  window.shell = window.shell || {};
  /** @returns a jQuery-Deferred-like thenable resolving to the anti-forgery token. */
  window.shell.getTokenDeferred = function () {
    var url = '/_layout/tokenhtml?_=' + Date.now();
    var promise = fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (!response.ok) throw new Error('Anti-forgery token request failed: ' + response.status);
      return response.text();
    }).then(readToken);
    var jq = window.jQuery;
    if (jq && typeof jq.Deferred === 'function') {
      var d = jq.Deferred();
      promise.then(d.resolve, d.reject);
      return d.promise();
    }
    return deferred(promise);
  };
})();
