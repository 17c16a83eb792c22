// Reports every Content-Security-Policy and Trusted Types violation of this page into the page itself (the
// "Policy check" panel) and into `window.cspViolations`. A classic script in <head>, so it listens before any
// other script runs. It writes with textContent only: under Trusted Types, innerHTML would itself be a violation.
(function () {
  'use strict';
  var violations = [];
  window.cspViolations = violations;

  function render() {
    var status = document.getElementById('csp-status');
    var list = document.getElementById('csp-violations');
    if (!status || !list) return;
    status.dataset.state = violations.length ? 'violations' : 'clean';
    status.textContent = violations.length
      ? violations.length + (violations.length === 1 ? ' violation' : ' violations') + ' of the policy on this page.'
      : 'No Content-Security-Policy or Trusted Types violations so far.';
    list.textContent = '';
    violations.forEach(function (v) {
      var item = document.createElement('li');
      item.textContent = v.directive + ' blocked ' + (v.blockedURI || '(inline)') +
        (v.sample ? ' — "' + v.sample + '"' : '') + (v.sourceFile ? ' at ' + v.sourceFile + ':' + v.lineNumber : '');
      list.appendChild(item);
    });
  }

  document.addEventListener('securitypolicyviolation', function (event) {
    violations.push({
      directive: event.effectiveDirective || event.violatedDirective,
      blockedURI: event.blockedURI,
      sample: event.sample,
      sourceFile: event.sourceFile,
      lineNumber: event.lineNumber,
      disposition: event.disposition,
    });
    render();
  });
  document.addEventListener('DOMContentLoaded', render);
})();
