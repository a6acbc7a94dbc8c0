// editor.js — the text editor of Maillage: a toolbar that writes the
// formatting (nobody needs to know Markdown), keyboard shortcuts, [[ links
// chosen from the network's communes, bodies and organisations, pastes from
// Word, LibreOffice or a web page converted on the server, a live preview
// through POST /preview (the server's own renderer, with the actions found
// and their warnings), a draft kept in this browser so that a lost session
// loses nothing, and a warning before leaving with unsaved changes.
// Works without it: the form posts a plain text area as usual.
(function () {
  'use strict';
  var form = document.querySelector('form.editor-form');
  if (!form) return;
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var key = 'maillage-draft:' + form.getAttribute('data-draft-key');
  var areas = form.querySelectorAll('textarea[data-preview]');
  var dirty = false;
  var organisations = null; // the action panel's list, fetched once

  // Sends a form body to url; calls done(ok, text).
  function post(url, fields, done) {
    var body = new URLSearchParams();
    body.set('_csrf', csrf);
    Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { return r.text().then(function (t) { done(r.ok, t); }); })
      .catch(function () { done(false, ''); });
  }

  function preview(area) {
    var target = document.getElementById(area.getAttribute('data-preview'));
    var fields = { text: area.value };
    if (area.hasAttribute('data-actions')) fields.actions = '1';
    post('/preview', fields, function (ok, html) {
      if (ok) target.innerHTML = html; // the preview is a comfort, not a need
    });
  }

  // Replaces the selection of area with text, the caret (or the selection
  // from selStart to selEnd within text) placed after it; tells the form.
  function insert(area, text, selStart, selEnd) {
    var start = area.selectionStart;
    area.focus();
    area.setRangeText(text, start, area.selectionEnd, 'end');
    if (selStart !== undefined) area.setSelectionRange(start + selStart, start + selEnd);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }

  // Wraps the selection in before/after, or a placeholder when none.
  function wrap(area, before, after, placeholder) {
    var sel = area.value.slice(area.selectionStart, area.selectionEnd) || placeholder;
    insert(area, before + sel + after, before.length, before.length + sel.length);
  }

  // Starts each line of the selection (or the current line) with prefix(i).
  function prefixLines(area, prefix) {
    var v = area.value;
    var start = v.lastIndexOf('\n', area.selectionStart - 1) + 1;
    var end = v.indexOf('\n', area.selectionEnd);
    if (end < 0) end = v.length;
    area.setSelectionRange(start, end);
    var lines = v.slice(start, end).split('\n').map(function (line, i) {
      return prefix(i) + line.replace(/^(#+ |- \[[ xX]\] |[-*+] |\d+[.)] )/, '');
    });
    insert(area, lines.join('\n'));
  }

  // Puts text on a line of its own at the caret.
  function insertBlock(area, text) {
    var before = area.value.slice(0, area.selectionStart);
    var lead = before === '' || /\n\n$/.test(before) ? '' : /\n$/.test(before) ? '\n' : '\n\n';
    insert(area, lead + text + '\n');
  }

  // Shows a small form under the toolbar; ok(values) on « Insérer ».
  function ask(bar, title, fields, ok) {
    var old = bar.parentNode.querySelector('.editor-panel');
    if (old) old.remove();
    var panel = document.createElement('fieldset');
    panel.className = 'editor-panel';
    var legend = document.createElement('legend');
    legend.textContent = title;
    panel.appendChild(legend);
    var inputs = {};
    fields.forEach(function (f) {
      var id = 'editor-' + bar.id + '-' + f.name;
      var label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = f.label;
      var input = document.createElement('input');
      input.id = id;
      input.type = f.type || 'text';
      if (f.value !== undefined) input.value = f.value;
      if (f.list) input.setAttribute('list', f.list);
      if (f.min !== undefined) { input.min = f.min; input.max = f.max; }
      panel.appendChild(label);
      panel.appendChild(input);
      inputs[f.name] = input;
    });
    var actions = document.createElement('div');
    actions.className = 'actions-row';
    var yes = document.createElement('button');
    yes.type = 'button';
    yes.textContent = 'Insérer';
    var no = document.createElement('button');
    no.type = 'button';
    no.className = 'secondary';
    no.textContent = 'Annuler';
    actions.appendChild(yes);
    actions.appendChild(no);
    panel.appendChild(actions);
    bar.insertAdjacentElement('afterend', panel);
    function close() { panel.remove(); bar.area.focus(); }
    yes.addEventListener('click', function () {
      var values = {};
      Object.keys(inputs).forEach(function (k) { values[k] = inputs[k].value.trim(); });
      close();
      ok(values);
    });
    no.addEventListener('click', close);
    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') close();
      if (e.key === 'Enter') { e.preventDefault(); yes.click(); }
    });
    inputs[fields[0].name].focus();
  }

  // Fills the list of organisations the action panel offers, once.
  function loadOrganisations() {
    if (organisations) return;
    organisations = document.createElement('datalist');
    organisations.id = 'editor-organisations';
    document.body.appendChild(organisations);
    fetch('/suggest?kind=organisation', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        rows.forEach(function (o) {
          var opt = document.createElement('option');
          opt.value = /^[A-Za-z0-9_-]+$/.test(o.label) ? o.label : o.slug;
          opt.label = o.name;
          organisations.appendChild(opt);
        });
      })
      .catch(function () { /* the owner can still be typed */ });
  }

  // The owner word of what was chosen: an acronym as it is, else a slug.
  function ownerWord(s) {
    return s.replace(/^@/, '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  }

  // Turns the date field's YYYY-MM-DD into JJ/MM/AAAA.
  function frenchDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[3] + '/' + m[2] + '/' + m[1] : iso;
  }

  var tools = [
    { label: 'Titre', run: function (a) { prefixLines(a, function () { return '## '; }); } },
    { label: 'Gras', keys: 'b', run: function (a) { wrap(a, '**', '**', 'texte en gras'); } },
    { label: 'Italique', keys: 'i', run: function (a) { wrap(a, '*', '*', 'texte en italique'); } },
    { label: 'Liste', run: function (a) { prefixLines(a, function () { return '- '; }); } },
    { label: 'Liste numérotée',
      run: function (a) { prefixLines(a, function (i) { return (i + 1) + '. '; }); } },
    { label: 'Action', run: function (a, bar) {
      loadOrganisations();
      ask(bar, 'Ajouter une action', [
        { name: 'task', label: 'Tâche' },
        { name: 'owner', label: 'Organisation qui la porte (sigle)', list: 'editor-organisations' },
        { name: 'due', label: 'Échéance', type: 'date' }
      ], function (v) {
        var line = '- [ ] ' + (v.task || 'Tâche à préciser');
        if (v.owner) line += ' @' + ownerWord(v.owner);
        if (v.due) line += ' ' + frenchDate(v.due);
        insertBlock(a, line);
      });
    } },
    { label: 'Lien', keys: 'k', run: function (a, bar) {
      var sel = a.value.slice(a.selectionStart, a.selectionEnd);
      ask(bar, 'Ajouter un lien', [
        { name: 'text', label: 'Texte du lien', value: sel },
        { name: 'url', label: 'Adresse (https://…)', type: 'url' }
      ], function (v) {
        if (!v.url) return;
        if (!/^(https?:|mailto:|tel:)/i.test(v.url)) v.url = 'https://' + v.url;
        insert(a, '[' + (v.text || v.url) + '](' + v.url + ')');
      });
    } },
    { label: 'Lien vers une page du réseau', run: function (a) {
      insert(a, '[[');
      suggest(a);
    } },
    { label: 'Tableau', run: function (a, bar) {
      ask(bar, 'Ajouter un tableau', [
        { name: 'cols', label: 'Colonnes', type: 'number', value: '2', min: 1, max: 8 },
        { name: 'rows', label: 'Lignes', type: 'number', value: '2', min: 1, max: 50 }
      ], function (v) {
        var cols = Math.min(Math.max(parseInt(v.cols, 10) || 2, 1), 8);
        var rows = Math.min(Math.max(parseInt(v.rows, 10) || 2, 1), 50);
        var head = [], rule = [], cells = [];
        for (var c = 1; c <= cols; c++) { head.push('Colonne ' + c); rule.push('---'); cells.push(' '); }
        var lines = ['| ' + head.join(' | ') + ' |', '| ' + rule.join(' | ') + ' |'];
        for (var r = 0; r < rows; r++) lines.push('|' + cells.join('|') + '|');
        insertBlock(a, lines.join('\n'));
      });
    } },
    { label: 'Aide', run: function () {
      var help = document.querySelector('details.md-help');
      if (help) { help.open = true; help.scrollIntoView(); help.querySelector('summary').focus(); }
    } }
  ];

  // The list of [[ suggestions under a text area.
  function suggestBox(area) {
    if (area.suggestBox) return area.suggestBox;
    var box = document.createElement('ul');
    box.className = 'suggest';
    box.id = area.id + '-suggest';
    box.setAttribute('role', 'listbox');
    box.setAttribute('aria-label', 'Pages du réseau');
    box.hidden = true;
    area.insertAdjacentElement('afterend', box);
    area.setAttribute('aria-controls', box.id);
    area.suggestBox = box;
    return box;
  }

  // The [[ being typed before the caret, or null.
  function pendingLink(area) {
    var m = /\[\[([^\[\]\n|]{0,40})$/.exec(area.value.slice(0, area.selectionStart));
    return m ? m[1] : null;
  }

  // Completes the [[ being typed with label.
  function choose(area, label) {
    var typed = pendingLink(area);
    if (typed === null) return;
    area.setSelectionRange(area.selectionStart - typed.length, area.selectionStart);
    insert(area, label + ']]');
    suggestBox(area).hidden = true;
  }

  // Offers the pages whose name starts with what follows [[.
  function suggest(area) {
    var typed = pendingLink(area), box = suggestBox(area);
    if (typed === null || typed.trim() === '') { box.hidden = true; return; }
    fetch('/suggest?q=' + encodeURIComponent(typed.trim()), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        box.textContent = '';
        rows.forEach(function (row, i) {
          var li = document.createElement('li');
          li.setAttribute('role', 'option');
          li.id = box.id + '-' + i;
          li.textContent = row.label + ' (' + row.kind + ')';
          li.dataset.label = row.label;
          li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(area, row.label); });
          box.appendChild(li);
        });
        box.hidden = rows.length === 0;
        if (rows.length) select(area, 0);
      })
      .catch(function () { box.hidden = true; });
  }

  // Marks suggestion i as the current one.
  function select(area, i) {
    var items = suggestBox(area).querySelectorAll('li');
    items.forEach(function (li, k) { li.setAttribute('aria-selected', k === i ? 'true' : 'false'); });
    if (items[i]) area.setAttribute('aria-activedescendant', items[i].id);
  }

  // Handles the keys of the suggestion list and the shortcuts.
  function onKey(area, bar, e) {
    var box = suggestBox(area);
    if (!box.hidden) {
      var items = Array.prototype.slice.call(box.querySelectorAll('li'));
      var at = items.findIndex(function (li) { return li.getAttribute('aria-selected') === 'true'; });
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        select(area, (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && at >= 0) {
        e.preventDefault();
        choose(area, items[at].dataset.label);
        return;
      }
      if (e.key === 'Escape') { box.hidden = true; return; }
    }
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    var tool = tools.find(function (t) { return t.keys === e.key.toLowerCase(); });
    if (tool) { e.preventDefault(); tool.run(area, bar); }
  }

  // Pastes the clipboard's formatting as Markdown, converted on the server;
  // its plain text when the server cannot convert it.
  function onPaste(area, e) {
    var data = e.clipboardData;
    if (!data || data.types.indexOf('text/html') < 0) return;
    var html = data.getData('text/html'), plain = data.getData('text/plain');
    e.preventDefault();
    var start = area.selectionStart, end = area.selectionEnd;
    post('/paste', { html: html }, function (ok, md) {
      area.setSelectionRange(start, end);
      insert(area, ok ? md.replace(/\n+$/, '\n') : plain);
    });
  }

  // Builds the toolbar of a text area.
  function toolbar(area, n) {
    var bar = document.createElement('div');
    bar.className = 'editor-toolbar';
    bar.id = 'toolbar-' + n;
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Mise en forme');
    bar.setAttribute('aria-controls', area.id);
    bar.area = area;
    tools.forEach(function (t) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'secondary';
      b.textContent = t.label;
      if (t.keys) b.title = t.label + ' (Ctrl+' + t.keys.toUpperCase() + ')';
      b.addEventListener('click', function () { t.run(area, bar); });
      bar.appendChild(b);
    });
    area.insertAdjacentElement('beforebegin', bar);
    area.addEventListener('keydown', function (e) { onKey(area, bar, e); });
    area.addEventListener('paste', function (e) { onPaste(area, e); });
    area.addEventListener('blur', function () { suggestBox(area).hidden = true; });
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

  areas.forEach(function (area, n) {
    var timer = null;
    if (!area.readOnly) toolbar(area, n);
    preview(area);
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { preview(area); }, 300);
      suggest(area);
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
