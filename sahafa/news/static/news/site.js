// Sahafa public site: ticker pause control and live refresh. No inline scripts (CSP).
(function () {
  "use strict";
  var ticker = document.querySelector(".ticker");
  if (!ticker) return;
  var toggle = ticker.querySelector(".ticker-toggle");
  var track = ticker.querySelector(".ticker-track");
  var announcer = ticker.querySelector("[data-ticker-announcer]");

  if (toggle) {
    toggle.addEventListener("click", function () {
      var paused = ticker.classList.toggle("is-paused");
      toggle.setAttribute("aria-pressed", paused ? "true" : "false");
      toggle.textContent = paused ? toggle.dataset.labelPlay : toggle.dataset.labelPause;
    });
  }

  function render(items) {
    var seen = {};
    track.querySelectorAll(".ticker-item").forEach(function (li) { seen[li.textContent.trim()] = true; });
    var fresh = [];
    track.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "ticker-item" + (item.breaking ? " is-breaking" : "");
      if (item.breaking) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "عاجل";
        li.appendChild(badge);
        li.appendChild(document.createTextNode(" "));
      }
      var target = li;
      if (item.url) { target = document.createElement("a"); target.href = item.url; li.appendChild(target); }
      target.appendChild(document.createTextNode(item.text));
      track.appendChild(li);
      if (item.breaking && !seen[li.textContent.trim()]) fresh.push(item.text);
    });
    // Announce only new breaking items, politely: the moving line itself stays silent.
    if (announcer && fresh.length) announcer.textContent = "عاجل: " + fresh.join("، ");
  }

  function refresh() {
    fetch(ticker.dataset.tickerUrl, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.items) render(data.items); })
      .catch(function () {});
  }
  refresh();
  setInterval(refresh, 8000);
})();
