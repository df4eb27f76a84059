// The deposits table: sort by a column heading, filter by text, commodity
// and status, pick a date. No libraries.
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

  function filter() {
    var t = text.value.trim().toLowerCase(), c = comm.value, s = status.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!t || r.dataset.text.toLowerCase().indexOf(t) >= 0) &&
        (!c || (" " + r.dataset.commodities + " ").indexOf(" " + c + " ") >= 0) &&
        (!s || r.dataset.status === s);
      r.hidden = !ok;
      if (ok) n++;
    });
    count.textContent = n + " of " + rows.length + " deposits";
  }

  function sort(th) {
    var b = th.querySelector("button"), key = b.dataset.key, num = b.dataset.type === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
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
      return sign * x.localeCompare(y);
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (th && th.querySelector("button")) sort(th);
  });
  [text, comm, status].forEach(function (el) { el.addEventListener("input", filter); });
  date.addEventListener("change", function () { location.href = "/deposits?date=" + encodeURIComponent(date.value); });
  filter();
})();
