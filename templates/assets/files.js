// files.js — attaching documents where JavaScript runs: files dropped on
// the form's zone join its file input, and the upload shows its progress
// (« Envoi : 45 % »), then what was refused and why, without leaving the
// page. Without it, the form posts as usual and the server answers with a
// page.
(function () {
  'use strict';
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector('.drop-zone');
    var button = form.querySelector('button[type="submit"]');
    var status = document.createElement('div');
    status.className = 'upload-status';
    status.setAttribute('aria-live', 'polite'); // read out as it changes
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.hidden = true;
    bar.setAttribute('aria-label', 'Progression de l\'envoi');
    form.appendChild(bar);
    form.appendChild(status);
    var hint = document.createElement('p');
    hint.className = 'muted drop-hint';
    hint.textContent = 'Ou glissez les fichiers ici.';
    zone.appendChild(hint);

    // Shows the names of the files chosen or dropped.
    function chosen() {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      hint.textContent = names.length ? 'Fichiers choisis : ' + names.join(', ') : 'Ou glissez les fichiers ici.';
    }
    input.addEventListener('change', chosen);
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add('over');
      });
    });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        chosen();
      }
    });

    // Writes the server's answer: the refusals in a list, the files kept
    // added to the page's list of documents.
    function answered(reply) {
      var list = document.querySelector('ul.files');
      (reply.added || []).forEach(function (f) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '/files/' + f.id;
        a.textContent = f.name;
        li.appendChild(a);
        li.appendChild(document.createTextNode(' — joint à l\'instant'));
        if (list) list.insertBefore(li, list.firstChild);
      });
      status.textContent = '';
      var kept = (reply.added || []).length;
      var p = document.createElement('p');
      p.textContent = kept === 0 ? 'Aucun document n\'a été joint.' :
        kept === 1 ? 'Un document est joint.' : kept + ' documents sont joints.';
      status.appendChild(p);
      if ((reply.refused || []).length) {
        var ul = document.createElement('ul');
        ul.className = 'alert';
        reply.refused.forEach(function (m) {
          var li = document.createElement('li');
          li.textContent = m;
          ul.appendChild(li);
        });
        status.appendChild(ul);
      }
      if (kept && !(reply.refused || []).length) form.reset(), chosen();
    }

    form.addEventListener('submit', function (e) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      e.preventDefault();
      var data = new FormData(form);
      data.set('reply', 'json');
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        bar.value = Math.round(ev.loaded * 100 / ev.total);
        status.textContent = 'Envoi : ' + bar.value + ' %';
      };
      xhr.onload = function () {
        button.disabled = false;
        bar.value = 100;
        var reply = null;
        try { reply = JSON.parse(xhr.responseText); } catch (err) { reply = null; }
        if (reply) return answered(reply);
        status.textContent = xhr.status === 413
          ? 'Envoi refusé : un fichier dépasse la taille permise, ou l\'envoi compte plus de 20 fichiers. Rien n\'a été enregistré.'
          : xhr.status === 507
            ? 'Le disque du serveur est plein : rien n\'a été enregistré. Prévenez l\'administrateur.'
            : 'L\'envoi a échoué (erreur ' + xhr.status + '). Réessayez.';
      };
      xhr.onerror = function () {
        button.disabled = false;
        status.textContent = 'La connexion a été coupée pendant l\'envoi : réessayez.';
      };
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      status.textContent = 'Envoi : 0 %';
      xhr.send(data);
    });
  });
})();
