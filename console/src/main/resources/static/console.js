// Live pages: the console streams every change the caller may see; a page whose kinds changed
// fetches its main part again (at most one fetch at a time, and one more if changes came during it).
(function () {
  'use strict';
  var kinds = (document.body.getAttribute('data-live') || '').split(' ').filter(Boolean);
  if (kinds.length === 0 || !window.EventSource) {
    return;
  }
  var main = document.getElementById('main');
  var fetching = false;
  var again = false;
  var waitingForBlur = false;

  // Someone typing in a filter or form keeps what they typed: the page catches up when they leave it.
  function typing() {
    var active = document.activeElement;
    return active && main.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  main.addEventListener('focusout', function () {
    if (waitingForBlur) {
      waitingForBlur = false;
      setTimeout(refresh, 0);
    }
  });

  function refresh() {
    if (typing()) {
      waitingForBlur = true;
      return;
    }
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    fetch(window.location.href, { headers: { 'X-Console-Fragment': '1' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== main.innerHTML) {
          main.innerHTML = html;
        }
      })
      .catch(function () {})
      .then(function () {
        fetching = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var events = new EventSource('/api/v1/events?kinds=' + encodeURIComponent(kinds.join(',')));
  events.addEventListener('change', refresh);
  events.addEventListener('reload', function () {
    window.location.reload();
  });
  document.body.setAttribute('data-live-connected', 'true');
})();
