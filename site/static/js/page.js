/* Small page behaviours without inline script (the Content-Security-Policy
   allows scripts from our origin only): print buttons, "copy the list",
   and forms that must not submit (previews). */
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-no-submit]").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  });
  var copy = document.getElementById("rp-copy");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = document.getElementById("rp-text");
      var done = function () { document.getElementById("rp-copied").hidden = false; };
      text.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }
})();
