// The map page: the date slider re-fetches the server-drawn SVG, the
// headline and the download link follow it, and deposits show a tooltip
// on hover or keyboard focus. No libraries.
(function () {
  "use strict";
  var slider = document.getElementById("date-slider");
  var out = document.getElementById("date-out");
  var fig = document.getElementById("map");
  var headline = document.getElementById("headline");
  var commodity = document.getElementById("commodity");
  var cls = document.getElementById("class");
  var download = document.getElementById("download");
  var dateField = document.getElementById("date-field");
  var tip = document.getElementById("tip");
  if (!slider || !fig) return;
  var dates = JSON.parse(slider.dataset.dates);
  var timer = 0, inflight = null, seq = 0;

  function query(date) {
    var q = "date=" + encodeURIComponent(date);
    if (cls.value) q += "&class=" + encodeURIComponent(cls.value);
    if (commodity.value) q += "&commodity=" + encodeURIComponent(commodity.value);
    return q;
  }

  function update() {
    var date = dates[+slider.value];
    out.textContent = date;
    slider.setAttribute("aria-valuetext", date);
    clearTimeout(timer);
    timer = setTimeout(function () { load(date); }, 60);
  }

  function load(date) {
    if (inflight) inflight.abort();
    inflight = new AbortController();
    var mine = ++seq;
    fig.classList.add("loading");
    fetch("/map.svg?" + query(date), { signal: inflight.signal })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (e) { throw new Error(e.message); });
        return r.text();
      })
      .then(function (svg) {
        if (mine !== seq) return;
        fig.innerHTML = svg;
        var root = fig.querySelector("svg");
        headline.textContent = root.dataset.headline;
        document.getElementById("occupied-km2").textContent = Number(root.dataset.occupiedKm2).toLocaleString("en");
        document.getElementById("stat-snapshot").textContent = root.dataset.snapshot;
        download.href = "/map.svg?" + query(date) + "&download=1";
        dateField.value = date;
        history.replaceState(null, "", "/map?" + query(date));
        fig.classList.remove("loading");
        loadClosest(date, mine);
      })
      .catch(function (e) {
        if (e.name === "AbortError") return;
        fig.classList.remove("loading");
        headline.textContent = "Could not load the map: " + e.message;
      });
  }

  // The "closest to the front" table follows the slider and the filter:
  // the server renders it, the page swaps it in.
  function loadClosest(date, mine) {
    var box = document.getElementById("closest");
    if (!box) return;
    box.classList.add("loading");
    fetch("/map/closest?" + query(date), { signal: inflight.signal })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (e) { throw new Error(e.message); });
        return r.text();
      })
      .then(function (html) {
        if (mine !== seq) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#closest");
        if (fresh) box.replaceWith(fresh);
      })
      .catch(function (e) {
        if (e.name === "AbortError") return;
        box.classList.remove("loading");
      });
  }

  slider.addEventListener("input", update);
  commodity.addEventListener("change", function () { load(dates[+slider.value]); });
  // A class changes which commodities there are: reload the page, whose
  // commodity list the server draws for the class.
  cls.addEventListener("change", function () {
    var q = "date=" + encodeURIComponent(dates[+slider.value]);
    if (cls.value) q += "&class=" + encodeURIComponent(cls.value);
    location.assign("/map?" + q);
  });

  // Tooltip: on hover and on keyboard focus.
  function show(a) {
    var d = a.dataset;
    tip.innerHTML = "";
    var h = document.createElement("strong");
    h.textContent = d.name;
    tip.appendChild(h);
    var dl = document.createElement("dl");
    [["Oblast", d.oblast], ["Status", d.status], ["Distance", d.distance],
     ["Position", "± " + d.precision + " km" + (d.uncertain === "true" ? " (status uncertain)" : "")],
     ["Commodities", d.commodities], ["In situ", d.value === "unknown" ? "unknown" : "≤ " + d.value]].forEach(function (kv) {
      var dt = document.createElement("dt"); dt.textContent = kv[0];
      var dd = document.createElement("dd"); dd.textContent = kv[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    tip.appendChild(dl);
    tip.hidden = false;
    var r = a.getBoundingClientRect(), fr = fig.getBoundingClientRect();
    var x = r.right - fr.left + 8, y = r.top - fr.top;
    if (x + tip.offsetWidth > fr.width) x = Math.max(0, r.left - fr.left - tip.offsetWidth - 8);
    tip.style.left = (fig.offsetLeft + x) + "px";
    tip.style.top = (fig.offsetTop + Math.max(0, y)) + "px";
  }
  function hide() { tip.hidden = true; }
  function dep(e) { return e.target.closest ? e.target.closest("a.dep") : null; }
  fig.addEventListener("mouseover", function (e) { var a = dep(e); if (a) show(a); });
  fig.addEventListener("mouseout", function (e) { if (dep(e)) hide(); });
  fig.addEventListener("focusin", function (e) { var a = dep(e); if (a) show(a); });
  fig.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
