// The QR code and typed code change every window: fetch the next one when this one expires.
(function () {
  var main = document.querySelector("main");
  var url = main.getAttribute("data-url");
  function refresh() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (d) {
        document.getElementById("qr").innerHTML = d.svg;
        document.getElementById("code").textContent = d.code;
        setTimeout(refresh, Math.max(1, d.expires_in) * 1000);
      })
      .catch(function () { setTimeout(refresh, 3000); });
  }
  setTimeout(refresh, Math.max(1, parseInt(main.getAttribute("data-expires"), 10)) * 1000);
  document.getElementById("full").addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  });
})();
