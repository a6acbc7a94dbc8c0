// poll.js — the date poll's form where JavaScript runs: beside each slot,
// « Copier ce jour » copies that day's hours into the next empty rows, for
// another day to be chosen. Without it, each slot is typed in its row.
(function () {
  'use strict';
  var form = document.querySelector('form[data-poll-form]');
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll('.slot-row'));
  var status = document.createElement('p');
  status.className = 'muted';
  status.setAttribute('aria-live', 'polite');
  form.querySelector('.slot-rows').after(status);

  // The date, start and end inputs of a row.
  function fields(row) {
    return row.querySelectorAll('input');
  }

  // Copies the hours of every row of day into the empty rows, their date
  // left to choose; says what happened.
  function copyDay(day) {
    var same = rows.filter(function (r) { return fields(r)[0].value === day && fields(r)[1].value; });
    var empty = rows.filter(function (r) {
      var f = fields(r);
      return !f[0].value && !f[1].value && !f[2].value;
    });
    if (empty.length < same.length) {
      status.textContent = 'Plus assez de lignes libres : demandez « Plus de créneaux », puis recommencez.';
      return;
    }
    same.forEach(function (r, i) {
      var from = fields(r), to = fields(empty[i]);
      to[1].value = from[1].value;
      to[2].value = from[2].value;
    });
    status.textContent = same.length + ' créneau' + (same.length > 1 ? 'x' : '') +
      ' recopié' + (same.length > 1 ? 's' : '') + ' : choisissez leur date.';
    fields(empty[0])[0].focus();
  }

  rows.forEach(function (row) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link copy-day';
    button.textContent = 'Copier ce jour';
    button.addEventListener('click', function () {
      var day = fields(row)[0].value;
      if (!day) {
        status.textContent = 'Choisissez d\'abord la date de ce créneau.';
        return;
      }
      copyDay(day);
    });
    row.appendChild(button);
  });
})();
