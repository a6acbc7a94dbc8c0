// editor.js — the Markdown editor of Maillage: live preview through
// POST /preview (the server's own renderer), a draft kept in this browser
// so that a lost session loses nothing, and a warning before leaving with
// unsaved changes. Works without it: the form posts as usual.
(function () {
  'use strict';
  var form = document.querySelector('form.editor-form');
  if (!form) return;
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var key = 'maillage-draft:' + form.getAttribute('data-draft-key');
  var areas = form.querySelectorAll('textarea[data-preview]');
  var dirty = false;

  function preview(area) {
    var target = document.getElementById(area.getAttribute('data-preview'));
    var body = new URLSearchParams();
    body.set('_csrf', csrf);
    body.set('text', area.value);
    fetch('/preview', { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : ''; })
      .then(function (html) { target.innerHTML = html; })
      .catch(function () { /* the preview is a comfort, not a need */ });
  }

  function saveDraft() {
    var draft = {};
    form.querySelectorAll('input[name]:not([type=hidden]), select[name], textarea[name]')
      .forEach(function (el) { draft[el.name] = el.value; });
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* full or off */ }
  }

  function restoreDraft(draft) {
    Object.keys(draft).forEach(function (name) {
      var el = form.elements[name];
      if (el) el.value = draft[name];
    });
    areas.forEach(preview);
  }

  areas.forEach(function (area) {
    var timer = null;
    preview(area);
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { preview(area); }, 300);
    });
  });

  form.addEventListener('input', function () { dirty = true; saveDraft(); });
  form.addEventListener('submit', function () {
    dirty = false;
    try { localStorage.removeItem(key); } catch (e) { /* nothing to clear */ }
  });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ''; }
  });

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { saved = null; }
  var notice = document.getElementById('draft-notice');
  if (saved && notice) {
    var differs = Object.keys(saved).some(function (name) {
      var el = form.elements[name];
      return el && el.value !== saved[name];
    });
    if (differs) {
      notice.hidden = false;
      document.getElementById('draft-restore').addEventListener('click', function () {
        restoreDraft(saved);
        dirty = true;
        notice.hidden = true;
      });
      document.getElementById('draft-discard').addEventListener('click', function () {
        try { localStorage.removeItem(key); } catch (e) { /* nothing to clear */ }
        notice.hidden = true;
      });
    }
  }
}());
