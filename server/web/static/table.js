// The deposits table: sort by a column heading, filter by text, commodity
// and status, pick a date. The page's state lives in its URL (?q=,
// ?commodity=, ?status=, ?sort=, ?dir=, ?date=), which the server reads
// to render the same view, so a link reproduces it. No libraries.
(function () {
  "use strict";
  var table = document.getElementById("deposits");
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var text = document.getElementById("filter-text");
  var comm = document.getElementById("filter-commodity");
  var status = document.getElementById("filter-status");
  var count = document.getElementById("count");
  var date = document.getElementById("date-select");
  var sortKey = document.getElementById("sort-key");
  var sortDir = document.getElementById("sort-dir");

  // query is the page's state as a query string, defaults left out.
  function query(d) {
    var q = new URLSearchParams();
    if (text.value.trim()) q.set("q", text.value.trim());
    if (comm.value) q.set("commodity", comm.value);
    if (status.value) q.set("status", status.value);
    if (sortKey.value && sortKey.value !== "name") q.set("sort", sortKey.value);
    if (sortDir.value === "desc") q.set("dir", "desc");
    if (d) q.set("date", d);
    return q.toString();
  }

  // remember puts the state in the URL without a new history entry for
  // every key typed.
  function remember() {
    var q = query(new URLSearchParams(location.search).get("date"));
    history.replaceState(null, "", "/deposits" + (q ? "?" + q : ""));
  }

  function filter() {
    var t = text.value.trim().toLowerCase(), c = comm.value, s = status.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!t || r.dataset.text.toLowerCase().indexOf(t) >= 0) &&
        (!c || (" " + r.dataset.commodities + " ").indexOf(" " + c + " ") >= 0) &&
        (!s || r.dataset.status === s);
      r.hidden = !ok;
      if (ok) n++;
    });
    count.textContent = n === rows.length ? n + " deposits" : n + " of " + rows.length + " deposits";
  }

  function sort(th) {
    var b = th.querySelector("button"), key = b.dataset.key, num = b.dataset.type === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    sortKey.value = key;
    sortDir.value = dir === "ascending" ? "asc" : "desc";
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.dataset[key], y = b.dataset[key];
      if (num) {
        // Unknown figures sort last either way.
        if (x === "" && y === "") return 0;
        if (x === "") return 1;
        if (y === "") return -1;
        return sign * (parseFloat(x) - parseFloat(y));
      }
      x = x.toLowerCase();
      y = y.toLowerCase();
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (th && th.querySelector("button")) {
      sort(th);
      remember();
    }
  });
  [text, comm, status].forEach(function (el) {
    el.addEventListener("input", function () { filter(); remember(); });
  });
  // A new date is a new page from the server; the filters go with it.
  date.addEventListener("change", function () { location.href = "/deposits?" + query(date.value); });
  // Enter in the search box keeps the page (the filter is live).
  document.getElementById("table-controls").addEventListener("submit", function (e) { e.preventDefault(); });
  filter();
})();
