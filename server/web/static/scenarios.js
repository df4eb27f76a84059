// The scenarios page: draw an area on the map, by mouse or keyboard, and
// evaluate the scenario with it as file:drawn. The corners go to the
// server in the map's SVG units; the server turns them into longitude and
// latitude. Works with swap.js, which replaces the page's #swap region.
// No libraries.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var pts = [], cross = null, drawing = false;

  function $(id) { return document.getElementById(id); }
  function svg() { return document.querySelector("#scenario-map svg"); }

  // The point under a mouse event, in SVG units.
  function svgPoint(s, e) {
    var p = s.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    return p.matrixTransform(s.getScreenCTM().inverse());
  }

  function layer(s) {
    var g = s.querySelector("g.draft");
    if (!g) {
      g = document.createElementNS(NS, "g");
      g.setAttribute("class", "draft");
      var poly = document.createElementNS(NS, "polygon");
      poly.setAttribute("fill", "rgba(204,121,167,.25)");
      poly.setAttribute("stroke", "#CC79A7");
      poly.setAttribute("stroke-width", "3");
      poly.setAttribute("stroke-dasharray", "6 3");
      g.appendChild(poly);
      var c = document.createElementNS(NS, "path");
      c.setAttribute("class", "cross");
      c.setAttribute("stroke", "#111");
      c.setAttribute("stroke-width", "2");
      c.setAttribute("fill", "none");
      g.appendChild(c);
      s.appendChild(g);
    }
    return g;
  }

  function redraw() {
    var s = svg();
    if (!s) return;
    var g = layer(s);
    g.querySelector("polygon").setAttribute("points", pts.map(function (p) { return p.x.toFixed(1) + "," + p.y.toFixed(1); }).join(" "));
    g.querySelectorAll("circle").forEach(function (c) { c.remove(); });
    pts.forEach(function (p) {
      var c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", p.x);
      c.setAttribute("cy", p.y);
      c.setAttribute("r", 5);
      c.setAttribute("fill", "#CC79A7");
      g.appendChild(c);
    });
    g.querySelector("path.cross").setAttribute("d", cross ? "M" + (cross.x - 10) + " " + cross.y + "h20M" + cross.x + " " + (cross.y - 10) + "v20" : "");
    $("draw-count").textContent = pts.length;
    $("draw-occupied").disabled = $("draw-returned").disabled = pts.length < 3;
  }

  function start() {
    var s = svg();
    if (!s) return;
    drawing = true;
    pts = [];
    var vb = s.viewBox.baseVal;
    cross = { x: vb.width / 2, y: vb.height / 2 };
    $("scenario-map").classList.add("drawing");
    $("scenario-map").setAttribute("tabindex", "0");
    $("draw-bar").hidden = false;
    $("draw").setAttribute("aria-pressed", "true");
    redraw();
    $("scenario-map").focus();
  }

  function stop() {
    drawing = false;
    cross = null;
    pts = [];
    var g = svg() && svg().querySelector("g.draft");
    if (g) g.remove();
    var fig = $("scenario-map");
    if (fig) {
      fig.classList.remove("drawing");
      fig.removeAttribute("tabindex");
    }
    if ($("draw-bar")) $("draw-bar").hidden = true;
    if ($("draw")) $("draw").setAttribute("aria-pressed", "false");
  }

  // finish evaluates the scenario with the area: occupied (added to the
  // expression) or returned (taken from it), unless the expression already
  // names file:drawn.
  function finish(returned) {
    if (pts.length < 3) return;
    var form = $("scenario-form"), expr = $("expr");
    if (expr.value.indexOf("file:drawn") < 0) {
      var base = expr.value.trim() || "occupied@latest";
      if (base.indexOf(" ") >= 0) base = "(" + base + ")";
      expr.value = base + (returned ? " - file:drawn" : " | file:drawn");
    }
    $("drawn-svg").value = pts.map(function (p) { return p.x.toFixed(1) + "," + p.y.toFixed(1); }).join(" ");
    $("drawn").value = "";
    stop();
    var body = new URLSearchParams(new FormData(form));
    window.nadraSwap.load(form.getAttribute("action"), "swap", body);
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.id === "draw") { drawing ? stop() : start(); return; }
    if (t.id === "draw-cancel") { stop(); $("draw").focus(); return; }
    if (t.id === "draw-occupied") { finish(false); return; }
    if (t.id === "draw-returned") { finish(true); return; }
    if (!drawing || !t.closest || !t.closest("#scenario-map")) return;
    // While drawing, a click adds a corner and does not open a deposit.
    e.preventDefault();
    var p = svgPoint(svg(), e);
    pts.push({ x: p.x, y: p.y });
    cross = { x: p.x, y: p.y };
    redraw();
  }, true);

  document.addEventListener("keydown", function (e) {
    if (!drawing) return;
    if (e.key === "Escape") { stop(); $("draw").focus(); e.preventDefault(); return; }
    if (document.activeElement !== $("scenario-map")) return;
    var step = e.shiftKey ? 40 : 8;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      cross.x += moves[e.key][0];
      cross.y += moves[e.key][1];
    } else if (e.key === "Enter" || e.key === " ") {
      pts.push({ x: cross.x, y: cross.y });
    } else if (e.key === "Backspace") {
      pts.pop();
    } else {
      return;
    }
    e.preventDefault();
    redraw();
  });

  function ready() {
    stop();
    if ($("draw") && svg()) $("draw").hidden = false;
  }
  document.addEventListener("nadra:swapped", ready);
  ready();
})();
