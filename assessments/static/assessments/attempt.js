/* Autosave for a quiz attempt. No framework: each change is queued per
   question with a rising sequence number, kept in localStorage until the
   server has it, and retried with back-off while the connection is down.
   The server keeps the answer with the highest sequence number, so a stale
   tab never overwrites a newer answer. */
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var url = form.dataset.saveUrl;
  var key = "hocso-attempt-" + form.dataset.attempt;
  var status = document.getElementById("quiz-save");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var delay = 1000;
  var timer = null;
  var busy = false;

  try { pending = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { pending = {}; }

  function store() {
    try { localStorage.setItem(key, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function say(text) { if (status) status.textContent = text; }
  function seqInput(slot) { return form.querySelector("input[name=s" + slot + "]"); }

  function read(box) {
    var slot = box.dataset.slot, type = box.dataset.type;
    if (type === "multiple") {
      var picked = [];
      box.querySelectorAll("input[type=checkbox]:checked").forEach(function (i) { picked.push(parseInt(i.value, 10)); });
      return { choices: picked };
    }
    if (type === "single" || type === "truefalse") {
      var r = box.querySelector("input[type=radio]:checked");
      return { choice: r ? parseInt(r.value, 10) : null };
    }
    if (type === "matching") {
      var matches = {};
      box.querySelectorAll("select").forEach(function (s) {
        if (s.value !== "") matches[s.name.split("-")[1]] = parseInt(s.value, 10);
      });
      return { matches: matches };
    }
    var t = box.querySelector("input[name=q" + slot + "]");
    return { text: t ? t.value : "" };
  }

  function show(box, response) {
    if (!response) return;
    var type = box.dataset.type;
    if (type === "multiple" || type === "single" || type === "truefalse") {
      var chosen = (response.choices || []).concat(response.choice == null ? [] : [response.choice]);
      box.querySelectorAll("input").forEach(function (i) {
        if (i.type === "radio" || i.type === "checkbox") i.checked = chosen.indexOf(parseInt(i.value, 10)) >= 0;
      });
    } else if (type === "matching") {
      box.querySelectorAll("select").forEach(function (s) {
        var v = (response.matches || {})[s.name.split("-")[1]];
        s.value = v == null ? "" : String(v);
      });
    } else {
      var t = box.querySelector("input[type=text]");
      if (t) t.value = response.text || "";
    }
  }

  function queue(box) {
    var slot = box.dataset.slot;
    var input = seqInput(slot);
    var seq = Math.max(parseInt(input.value, 10) || 1, pending[slot] ? pending[slot].seq + 1 : 1);
    input.value = seq + 1;
    pending[slot] = { seq: seq, response: read(box) };
    store();
    flush();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
    delay = Math.min(delay * 2, 30000);
  }

  function flush() {
    if (busy) return;
    var slots = Object.keys(pending);
    if (!slots.length) return;
    busy = true;
    var slot = slots[0], item = pending[slot];
    say(form.dataset.msgSaving);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ slot: parseInt(slot, 10), seq: item.seq, response: item.response })
    }).then(function (res) {
      if (res.status === 409) { localStorage.removeItem(key); say(form.dataset.msgClosed); location.reload(); return null; }
      if (res.status >= 500 || res.status === 429) throw new Error("retry");
      return res.json().then(function (data) { return { ok: res.ok, data: data }; });
    }).then(function (out) {
      busy = false;
      if (!out) return;
      if (pending[slot] && pending[slot].seq === item.seq) delete pending[slot];
      store();
      delay = 1000;
      if (!out.ok) { say(out.data.error || ""); }
      else if (!out.data.accepted && !pending[slot]) {
        var box = form.querySelector("[data-slot='" + slot + "']");
        if (box) show(box, out.data.response);
        seqInput(slot).value = out.data.seq + 1;
        say(form.dataset.msgNewer);
      } else { say(form.dataset.msgSaved); }
      if (out.ok) resync(out.data.seconds_left);
      flush();
    }).catch(function () {
      busy = false;
      say(form.dataset.msgOffline);
      schedule();
    });
  }

  form.querySelectorAll("[data-slot]").forEach(function (box) {
    var slot = box.dataset.slot;
    if (pending[slot]) { show(box, pending[slot].response); }
    box.addEventListener("change", function () { queue(box); });
    box.addEventListener("input", function (e) {
      if (e.target.type === "text") { clearTimeout(box._t); box._t = setTimeout(function () { queue(box); }, 600); }
    });
  });
  window.addEventListener("online", function () { delay = 1000; flush(); });
  flush();

  var confirmed = false;
  form.addEventListener("submit", function (e) {
    var finishing = e.submitter && e.submitter.name === "finish";
    if (finishing && !confirmed && !window.confirm(form.dataset.msgConfirm)) { e.preventDefault(); return; }
    // The form carries the shown answers itself.
    form.querySelectorAll("[data-slot]").forEach(function (box) { delete pending[box.dataset.slot]; });
    store();
    if (!finishing) return;
    if (Object.keys(pending).length) {
      // Answers to other questions are still on their way: send them first,
      // then submit (or submit after a few seconds with what the server has).
      e.preventDefault();
      confirmed = true;
      var submitter = e.submitter, waited = 0;
      var retry = function () {
        if (!Object.keys(pending).length || waited >= 8000) { form.requestSubmit(submitter); return; }
        waited += 250; flush(); setTimeout(retry, 250);
      };
      retry();
      return;
    }
    localStorage.removeItem(key);
  });

  // The server's deadline wins: the page carries the seconds left when it was
  // rendered, and every autosave reply the seconds left now. A value that is
  // not plain digits (e.g. "1.199" printed with a thousand separator) starts
  // no timer rather than a wrong one; the server still closes the attempt.
  function readSeconds(value) {
    return /^[0-9]+$/.test(String(value)) ? parseInt(value, 10) : null;
  }
  function resync(seconds) {
    var left = readSeconds(seconds);
    if (clock && left !== null && end !== null) end = Date.now() + left * 1000;
  }

  var clock = document.getElementById("quiz-timer");
  var end = null;
  if (clock && readSeconds(clock.dataset.seconds) !== null) {
    end = Date.now() + readSeconds(clock.dataset.seconds) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) {
        var done = document.createElement("input");
        done.type = "hidden"; done.name = "finish"; done.value = "1";
        form.appendChild(done);
        localStorage.removeItem(key);
        form.submit();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
