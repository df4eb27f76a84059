// Forms and links marked data-swap="ID" replace the element with that id
// by the same element of the page the server renders for their URL, so
// a what-if updates in place, keeps the keyboard focus and leaves a URL
// to share. Without script they are plain GET forms and links. No
// libraries.
(function () {
  "use strict";
  var inflight = null;

  function query(form) {
    var q = new URLSearchParams();
    new FormData(form).forEach(function (v, k) {
      if (v !== "") q.append(k, v);
    });
    return q;
  }

  function load(url, id, body) {
    var target = document.getElementById(id);
    if (!target) return;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    target.setAttribute("aria-busy", "true");
    var active = document.activeElement && document.activeElement.id;
    var opts = { signal: inflight.signal, headers: { Accept: "text/html" } };
    if (body) {
      opts.method = "POST";
      opts.body = body;
    }
    fetch(url, opts)
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(id);
        if (!fresh) throw new Error("the page has no #" + id);
        target.replaceWith(fresh);
        document.title = doc.title;
        // The view's URL: the request's, or for a POST the one the page
        // names as its own (data-url), so that a link reproduces it.
        var own = body ? fresh.dataset.url : url;
        if (own && own !== location.pathname + location.search) {
          history.pushState(null, "", own);
          shown = location.pathname + location.search;
        }
        bind(fresh);
        var el = active && document.getElementById(active);
        if (el) el.focus();
        else if (document.getElementById("form-error")) document.getElementById("form-error").focus();
        document.dispatchEvent(new CustomEvent("nadra:swapped", { detail: { id: id } }));
      })
      .catch(function (e) {
        if (e.name === "AbortError") return;
        target.removeAttribute("aria-busy");
        var p = document.createElement("p");
        p.className = "error";
        p.setAttribute("role", "alert");
        p.textContent = "Could not update: " + e.message;
        target.prepend(p);
      });
  }

  function submit(form) {
    var q = query(form), action = form.getAttribute("action");
    if ((form.getAttribute("method") || "get").toLowerCase() === "post") {
      load(action, form.dataset.swap, q);
    } else {
      load(action + (q.toString() ? "?" + q : ""), form.dataset.swap);
    }
  }

  function bind(root) {
    root.querySelectorAll("form[data-swap]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        submit(form);
      });
      form.querySelectorAll("[data-auto]").forEach(function (el) {
        el.addEventListener("change", function () {
          (el.dataset.reset || "").split(" ").forEach(function (n) {
            if (n && form.elements[n]) form.elements[n].value = "";
          });
          submit(form);
        });
      });
    });
    root.querySelectorAll("a[data-swap]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        load(a.getAttribute("href"), a.dataset.swap);
      });
    });
  }

  // Back and forward show the page of the URL they reach; a link to a
  // place in the page (#id) changes only the hash, and the page stays.
  var shown = location.pathname + location.search;
  window.addEventListener("popstate", function () {
    if (location.pathname + location.search !== shown) location.reload();
  });
  bind(document);
  window.nadraSwap = { load: load, submit: submit };
})();
