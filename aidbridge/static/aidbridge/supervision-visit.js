/* The inspection visit form on a phone with a poor connection (pages of supervision visits).
     form[data-offline-form="<visit id>"]  every field but the files and the CSRF token is
        kept in localStorage as it is filled and put back when the page opens again (the
        hidden client_key too, so the server counts a form sent twice once).
     On submit the form is sent with fetch. If that fails (no connection) the whole form,
     photos included, is queued in IndexedDB and the page says so ([data-offline-status],
     data-queued-text); the queue is sent when the browser is online again (and when a page
     with this script opens). A reply that lands on the visit's page (data-done-url) clears
     the kept fields; any other reply (the form's errors, the login page) is shown by
     submitting the form the ordinary way (a queued form: by opening the form again).
     The consent box ([name=consent]) asks the browser for the position and fills the hidden
     latitude and longitude; unticked, they are emptied.
     li[data-offline-key] in the list of visits shows its [data-queued] badge while queued.
     [data-offline-done="<visit id>"] on a recorded visit's page drops what was kept of it. */
(function () {
  "use strict";
  var KEEP = "aidbridge.visit.";
  var DB = "aidbridge-outbox";
  var STORE = "visits";

  function db() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function queued() { return store("readonly", function (s) { return s.getAll(); }); }
  function enqueue(item) { return store("readwrite", function (s) { return s.put(item); }); }
  function dequeue(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  function kept(form) { return KEEP + form.dataset.offlineForm; }

  function keep(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "file" || field.name === "csrfmiddlewaretoken") { return; }
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { values[field.name] = field.type === "checkbox" ? true : field.value; }
        else if (field.type === "checkbox") { values[field.name] = false; }
      } else if (field.type !== "submit" && field.type !== "button") {
        values[field.name] = field.value;
      }
    });
    try { localStorage.setItem(kept(form), JSON.stringify(values)); } catch (e) { /* full */ }
  }

  function restore(form) {
    var values;
    try { values = JSON.parse(localStorage.getItem(kept(form)) || "null"); } catch (e) { values = null; }
    if (!values) { return false; }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !(field.name in values) || field.type === "file") { return; }
      if (field.name === "csrfmiddlewaretoken") { return; }
      var value = values[field.name];
      if (field.type === "radio") { field.checked = field.value === value; }
      else if (field.type === "checkbox") { field.checked = value === true; }
      else { field.value = value; }
    });
    return true;
  }

  function say(text, sent) {
    var status = document.querySelector("[data-offline-status]");
    if (!status || !text) { return; }
    status.textContent = text;
    status.hidden = false;
    status.classList.toggle("sent", !!sent);
  }

  function send(item) {
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(item.action, { method: "POST", body: body, credentials: "same-origin" });
  }

  function landed(response, item) {
    return response.ok && response.redirected && new URL(response.url).pathname === item.done;
  }

  function markList(keys) {
    document.querySelectorAll("[data-offline-key]").forEach(function (row) {
      var badge = row.querySelector("[data-queued]");
      if (!badge) { return; }
      var waiting = keys.indexOf(row.dataset.offlineKey) >= 0;
      badge.textContent = waiting ? row.dataset.queuedText : "";
      badge.hidden = !waiting;
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !window.indexedDB) { return; }
    flushing = true;
    queued().then(function (items) {
      var form = document.querySelector("form[data-offline-form]");
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          if (form && form.dataset.offlineForm === item.key) { say(form.dataset.sendingText); }
          return send(item).then(function (response) {
            return dequeue(item.key).then(function () {
              var here = form && form.dataset.offlineForm === item.key;
              if (!landed(response, item)) {
                // Refused (the form's errors, a login that expired): open the form again,
                // with what was kept, to see why and send it once more.
                if (here) { window.location.reload(); }
                return;
              }
              localStorage.removeItem(KEEP + item.key);
              if (here) { window.location.assign(response.url); }
            });
          }, function () { /* still offline: it stays queued */ });
        });
      }, Promise.resolve());
    }).then(queued).then(function (items) {
      markList(items.map(function (item) { return item.key; }));
    }).catch(function () {}).then(function () { flushing = false; });
  }

  function position(form) {
    var consent = form.querySelector("[name=consent]");
    var lat = form.querySelector("[name=latitude]");
    var lon = form.querySelector("[name=longitude]");
    var status = form.querySelector("[data-position-status]");
    if (!consent || !lat || !lon) { return; }
    consent.addEventListener("change", function () {
      lat.value = ""; lon.value = "";
      if (status) { status.textContent = ""; }
      if (!consent.checked || !navigator.geolocation) { keep(form); return; }
      navigator.geolocation.getCurrentPosition(function (found) {
        lat.value = found.coords.latitude.toFixed(6);
        lon.value = found.coords.longitude.toFixed(6);
        if (status) { status.textContent = form.dataset.positionText; }
        keep(form);
      }, function () {
        if (status) { status.textContent = form.dataset.nopositionText; }
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  function setUp(form) {
    var plain = false;
    var restored = form.querySelector(".error-summary") ? false : restore(form);
    if (restored) { say(form.dataset.restoredText); }
    form.addEventListener("input", function () { keep(form); });
    form.addEventListener("change", function () { keep(form); });
    position(form);
    queued().then(function (items) {
      if (items.some(function (item) { return item.key === form.dataset.offlineForm; })) {
        say(form.dataset.queuedText);
      }
    }).catch(function () {});
    form.addEventListener("submit", function (event) {
      if (plain || !window.fetch || !window.indexedDB) { return; }
      event.preventDefault();
      keep(form);
      var item = {
        key: form.dataset.offlineForm,
        action: form.action,
        done: form.dataset.doneUrl,
        fields: Array.from(new FormData(form).entries()),
      };
      send(item).then(function (response) {
        if (landed(response, item)) {
          localStorage.removeItem(kept(form));
          window.location.assign(response.url);
        } else {
          plain = true;
          form.requestSubmit ? form.requestSubmit() : form.submit();
        }
      }, function () {
        enqueue(item).then(function () { say(form.dataset.queuedText); });
      });
    });
  }

  document.querySelectorAll("[data-offline-done]").forEach(function (done) {
    localStorage.removeItem(KEEP + done.dataset.offlineDone);
  });
  document.querySelectorAll("form[data-offline-form]").forEach(setUp);
  window.addEventListener("online", flush);
  window.setInterval(function () { if (navigator.onLine !== false) { flush(); } }, 30000);
  flush();
})();
