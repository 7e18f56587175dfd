/* "Hoàn thành bài học" that survives a lost connection.
 * The completion is kept in localStorage until the server has answered; it is
 * retried with growing delays, when the phone comes back online, and on the
 * next page load. The server records a replay once, so retrying is safe.
 * The required video reports its start and end; the server checks the timing. */
(function () {
  "use strict";
  var KEY = "hocso.pending";
  var form = document.getElementById("complete-form");
  var statusEl = document.getElementById("complete-status");
  var button = document.getElementById("complete-button");
  var msg = {
    sending: "Đang ghi nhận…",
    offline: "Mất kết nối. Kết quả đã được lưu trên máy và sẽ tự gửi lại khi có mạng.",
    done: "Đã ghi nhận hoàn thành bài học.",
    course: "Chúc mừng! Bạn đã hoàn thành khóa học.",
    refused: "Không ghi nhận được: ",
    signin: "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại; kết quả đã lưu trên máy sẽ được gửi sau đó.",
    video: "Đã xem hết video. Bạn có thể bấm “Hoàn thành bài học”."
  };

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(all) {
    try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function cookie(name) {
    var m = document.cookie.match("(^|;)\\s*" + name + "=([^;]*)");
    return m ? decodeURIComponent(m[2]) : "";
  }
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return cookie("csrftoken") || (input && input.value) || "";
  }
  function say(text) { if (statusEl) { statusEl.textContent = text; } }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token()
      },
      body: body || ""
    });
  }

  var timers = {};
  function send(id, attempt) {
    var pending = load()[id];
    if (!pending) { return; }
    clearTimeout(timers[id]);
    var mine = form && form.getAttribute("data-lesson") === id;
    if (mine) { say(msg.sending); }
    post(pending.url).then(function (response) {
      if (response.status >= 500) { throw new Error("server " + response.status); }
      if (response.redirected) {
        // Signed out meanwhile: keep the completion and send it after sign-in.
        if (mine) { say(msg.signin); if (button) { button.disabled = false; } }
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        var all = load(); delete all[id]; save(all);  // answered: never resend
        if (!mine) { return; }
        if (response.ok && data.ok) {
          say(data.course_completed ? msg.course : msg.done);
          if (button) { button.disabled = true; }
          if (data.next_url) { setTimeout(function () { location.href = data.next_url; }, 1200); }
        } else {
          say(msg.refused + (data.error || response.status));
          if (button) { button.disabled = false; }
        }
      });
    }).catch(function () {
      if (mine) { say(msg.offline); }
      var delay = Math.min(60000, 2000 * Math.pow(2, attempt || 0));
      timers[id] = setTimeout(function () { send(id, (attempt || 0) + 1); }, delay);
    });
  }
  function flush() { Object.keys(load()).forEach(function (id) { send(id, 0); }); }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = form.getAttribute("data-lesson");
      var all = load();
      all[id] = { url: form.action, at: Date.now() };
      save(all);
      if (button) { button.disabled = true; }
      send(id, 0);
    });

    var videoUrl = form.getAttribute("data-video-url");
    Array.prototype.forEach.call(document.querySelectorAll("video[data-must-finish]"), function (video) {
      var started = false;
      video.addEventListener("play", function () {
        if (started) { return; }
        started = true;
        post(videoUrl, "event=start").catch(function () { started = false; });
      });
      video.addEventListener("ended", function report(attempt) {
        post(videoUrl, "event=end").then(function (r) { return r.json(); }).then(function (data) {
          if (data.ok && data.finished && button) {
            button.disabled = false;
            button.removeAttribute("aria-describedby");
            say(msg.video);
          } else if (!data.ok) {
            say(msg.refused + data.error);
          }
        }).catch(function () {
          setTimeout(function () { report((attempt | 0) + 1); }, 3000);
        });
      });
    });
  }
  window.addEventListener("online", flush);
  flush();
})();
