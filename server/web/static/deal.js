// The deal page: every control change asks the server for the results
// again (/deal/results, an HTML fragment with server-drawn SVG charts),
// debounced, cancelling the request before it (the server stops that
// simulation), and keeps the URL in step. No libraries.
(function () {
  "use strict";
  var form = document.getElementById("deal-controls");
  var box = document.getElementById("deal-results");
  var status = document.getElementById("deal-status");
  if (!form || !box) return;
  var terms = document.getElementById("deal-terms");
  var share = document.getElementById("share");
  var pathsSlider = document.getElementById("paths-slider");
  var paths = document.getElementById("paths");
  var steps = JSON.parse(pathsSlider.dataset.steps);
  var timer = 0, inflight = null, seq = 0;
  var cache = {}; // query -> HTML, for moving back to a setting already seen

  function fmt(input) {
    var v = parseFloat(input.value);
    switch (input.dataset.format) {
      case "bn": return "$" + (v / 1e9).toFixed(1) + " bn";
      case "pct": return (v * 100).toFixed(1) + "%";
      case "times": return v.toFixed(2) + "×";
      case "share": return Math.round(v * 100) + "%";
    }
    return input.value;
  }

  function label(input) {
    var out = document.getElementById(input.id + "-out");
    if (input === pathsSlider) {
      var n = steps[+pathsSlider.value];
      paths.value = n;
      out.textContent = n.toLocaleString("en");
      pathsSlider.setAttribute("aria-valuetext", n.toLocaleString("en") + " paths");
      return;
    }
    if (out) out.textContent = fmt(input);
    input.setAttribute("aria-valuetext", fmt(input));
  }

  function query() {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v !== "") q.set(k, v); });
    return q.toString();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 60);
  }

  function show(q, html, t0, fromCache) {
    box.innerHTML = html;
    var out = document.getElementById("deal-out");
    if (out) {
      out.dataset.clientMs = Math.round(performance.now() - t0);
      out.dataset.pageCache = fromCache ? "true" : "false";
    }
    var sum = document.getElementById("deal-summary");
    if (sum) status.textContent = sum.textContent.split(". ")[0] + ".";
    history.replaceState(null, "", "/deal?" + q);
    box.classList.remove("loading");
    box.setAttribute("aria-busy", "false");
  }

  function load() {
    var q = query();
    var t0 = performance.now();
    if (inflight) inflight.abort();
    if (cache[q]) { show(q, cache[q], t0, true); return; }
    inflight = new AbortController();
    var mine = ++seq;
    box.classList.add("loading");
    box.setAttribute("aria-busy", "true");
    fetch("/deal/results?" + q, { signal: inflight.signal })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (e) { throw new Error(e.message); });
        return r.text();
      })
      .then(function (html) {
        if (mine !== seq) return;
        cache[q] = html;
        show(q, html, t0, false);
      })
      .catch(function (e) {
        if (e.name === "AbortError") return;
        box.classList.remove("loading");
        box.setAttribute("aria-busy", "false");
        status.textContent = "Could not simulate: " + e.message;
        var sum = document.getElementById("deal-summary");
        if (sum) sum.textContent = "Could not simulate: " + e.message;
      });
  }

  form.addEventListener("input", function (e) {
    if (e.target.type === "range") label(e.target);
    schedule();
  });
  form.addEventListener("change", function (e) {
    if (e.target === terms) {
      // New terms: Ukraine's share starts at what they say.
      share.value = terms.selectedOptions[0].dataset.share;
      label(share);
    }
    if (e.target.tagName === "SELECT") schedule();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  document.getElementById("deal-reset").addEventListener("click", function () {
    [["aid", 0], ["discount", 0.07], ["price", 1], ["hazard", 1]].forEach(function (kv) {
      var el = document.getElementById(kv[0]);
      el.value = kv[1];
      label(el);
    });
    share.value = terms.selectedOptions[0].dataset.share;
    label(share);
    pathsSlider.value = steps.indexOf(5000);
    label(pathsSlider);
    schedule();
  });
  cache[query()] = box.innerHTML;
})();
