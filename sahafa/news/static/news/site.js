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

  var PIXELS_PER_SECOND = 45;

  // Double the line so the animation can loop seamlessly, and pace it by length.
  function loop() {
    track.querySelectorAll("[data-clone]").forEach(function (el) { el.remove(); });
    var originals = Array.prototype.slice.call(track.children);
    originals.forEach(function (li) {
      var copy = li.cloneNode(true);
      copy.setAttribute("data-clone", "");
      copy.setAttribute("aria-hidden", "true");
      copy.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });
      track.appendChild(copy);
    });
    var half = track.scrollWidth / 2;
    track.style.animationDuration = Math.max(20, Math.round(half / PIXELS_PER_SECOND)) + "s";
    ticker.classList.add("is-looping");  // site.css moves the line only from now on
  }
  // The line as the server rendered it, in the fragment's terms, so an unchanged
  // refresh leaves the running animation alone.
  function domSignature() {
    return Array.prototype.map.call(track.querySelectorAll(".ticker-item:not([data-clone])"), function (li) {
      var a = li.querySelector("a");
      var badge = li.querySelector(".badge");
      var text = a ? a.textContent : li.textContent.replace(badge ? badge.textContent : "", "");
      return text.trim() + "|" + (a ? a.getAttribute("href") : "") + "|" + li.classList.contains("is-breaking");
    }).join("\n");
  }
  track.dataset.signature = domSignature();
  // After the first frame: measuring the line at once would force the whole page's
  // first layout (the costliest step of a phone's page load) inside this script;
  // once the page is laid out, measuring re-lays the ticker alone.
  requestAnimationFrame(function () { setTimeout(loop, 0); });

  function render(items) {
    var seen = {};
    track.querySelectorAll(".ticker-item:not([data-clone])").forEach(function (li) { seen[li.textContent.trim()] = true; });
    var fresh = [];
    var signature = items.map(function (i) { return i.text.trim() + "|" + i.url + "|" + i.breaking; }).join("\n");
    if (signature === track.dataset.signature) return;  // unchanged: keep the animation going
    track.dataset.signature = signature;
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
    loop();
    // Announce only new breaking items, politely: the moving line itself stays silent.
    if (announcer && fresh.length) announcer.textContent = "عاجل: " + fresh.join("، ");
  }

  // The default cache mode revalidates with the fragment's ETag, so an unchanged
  // line costs a 304 and no parsing.
  function refresh() {
    fetch(ticker.dataset.tickerUrl, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.items) render(data.items); })
      .catch(function () {});
  }

  // Poll only while the reader can see the page: a background tab asks nothing, and
  // on coming back it asks at once (the line may be minutes old), then every 8 s.
  var POLL_MS = 8000;
  var FIRST_POLL_MS = 2000;  // the page itself may come from a cache a few seconds old
  var timer = null;
  function startPolling(delay) {
    stopPolling();
    timer = setTimeout(function tick() {
      refresh();
      timer = setTimeout(tick, POLL_MS);
    }, delay);
  }
  function stopPolling() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      stopPolling();
    } else {
      refresh();
      startPolling(POLL_MS);
    }
  });
  if (document.visibilityState !== "hidden") startPolling(FIRST_POLL_MS);
})();

// «الأكثر قراءة»: count this article's view once the reader sees the page (no cookie,
// no body: the address names the article), then fill the most-read block from its
// fragment and show it once a list has something in it. Nothing happens on a page
// without the article's id or the block.
(function () {
  "use strict";
  var article = document.querySelector("article[data-article-id]");
  var id = article ? article.getAttribute("data-article-id") : "";
  if (/^[0-9]+$/.test(id)) {
    var beacon = "/fragments/views/" + id;
    var sent = false;
    var send = function () {
      if (sent || document.visibilityState !== "visible" || document.prerendering) return;
      sent = true;
      // fetch with credentials omitted: no cookie goes with it, unlike sendBeacon.
      if (window.fetch) {
        fetch(beacon, { method: "POST", credentials: "omit", keepalive: true, cache: "no-store" }).catch(function () {});
      } else if (navigator.sendBeacon) {
        navigator.sendBeacon(beacon);
      }
    };
    // A tab opened in the background, or a page prerendered, is read when shown.
    document.addEventListener("visibilitychange", send);
    document.addEventListener("prerenderingchange", send);
    send();
  }

  var block = document.querySelector(".most-read[data-most-read-url]");
  if (!block || !window.fetch) return;
  var tabs = Array.prototype.slice.call(block.querySelectorAll('[role="tab"]'));

  function panelOf(tab) { return document.getElementById(tab.getAttribute("aria-controls")); }
  function select(chosen, focus) {
    tabs.forEach(function (tab) {
      var on = tab === chosen;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panelOf(tab).hidden = !on;
    });
    if (focus) chosen.focus();
  }
  tabs.forEach(function (tab, index) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (event) {
      // Arrows move along the row as it is laid out (right to left in Arabic).
      var rtl = getComputedStyle(block).direction === "rtl";
      var step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      var next = null;
      if (step) next = tabs[(index + step + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); select(next, true); }
    });
  });

  function fill(windows) {
    var firstFull = null;
    tabs.forEach(function (tab) {
      var items = windows[tab.getAttribute("data-window")] || [];
      var panel = panelOf(tab);
      var list = panel.querySelector("ol");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = !items.length;
      panel.querySelector(".empty").hidden = items.length > 0;
      if (items.length && !firstFull) firstFull = tab;
    });
    block.hidden = !firstFull;
    var current = tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0];
    if (firstFull && current && !(windows[current.getAttribute("data-window")] || []).length) select(firstFull, false);
  }

  // The lists change every few minutes: asked on load, and again when the reader
  // comes back to the tab after a while.
  var REFRESH_MS = 5 * 60 * 1000;
  var asked = 0;
  function refresh() {
    asked = Date.now();
    fetch(block.getAttribute("data-most-read-url"), { headers: { "Accept": "application/json" }, credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.windows) fill(data.windows); })
      .catch(function () {});
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Date.now() - asked > REFRESH_MS) refresh();
  });
  refresh();
})();
