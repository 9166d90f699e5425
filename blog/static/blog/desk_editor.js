/* The writing desk's post form: a live preview of the text and a web address made from the title.
   The server renders and sanitises the Markdown with the same template as the public post page,
   so what appears here is what readers will see. Loaded as a static file (the CSP allows no inline script). */
(function () {
  "use strict";

  var DELAY_MS = 350;

  function slugify(value) {
    return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "").trim().replace(/[\s-]+/g, "-").slice(0, 120).replace(/^-+|-+$/g, "");
  }

  function setUpSlug(form) {
    var title = form.querySelector("[name=title]");
    var slug = form.querySelector("[name=slug]");
    if (!title || !slug || !form.hasAttribute("data-new-post")) { return; }  // a saved post keeps its address
    // Follow the title while the address is empty or still the one made from it.
    var following = slug.value === "" || slug.value === slugify(title.value);
    slug.addEventListener("input", function () { following = slug.value === ""; });
    title.addEventListener("input", function () {
      if (following) { slug.value = slugify(title.value); }
    });
  }

  function setUpPreview(form) {
    var source = form.querySelector("textarea[data-preview-url]");
    var panel = document.getElementById("live-preview");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!source || !panel || !token) { return; }
    var output = panel.querySelector("[data-preview-output]");
    var meta = panel.querySelector(".desk-preview-meta");
    var stale = panel.querySelector(".desk-preview-stale");
    var timer = null;
    var latest = 0;

    function value(name) {
      var field = form.querySelector("[name=" + name + "]");
      return field ? field.value : "";
    }

    function refresh() {
      var request = ++latest;
      var body = new URLSearchParams();
      body.append("body", source.value);
      body.append("sources", value("sources"));
      body.append("language", value("language"));
      fetch(source.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value, "Accept": "application/json" },
        body: body
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (request !== latest) { return; }  // an older answer arriving late
        output.innerHTML = data.html;  // rendered from our template and sanitised by the server (nh3)
        meta.textContent = data.summary;
        stale.hidden = true;
        panel.classList.remove("is-stale");
      }).catch(function () {
        if (request !== latest) { return; }
        stale.hidden = false;
        panel.classList.add("is-stale");
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    source.addEventListener("input", later);
    ["sources", "language"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field) { field.addEventListener("input", later); field.addEventListener("change", later); }
    });
    refresh();
  }

  function setUp() {
    var form = document.getElementById("post-form");
    if (!form) { return; }
    setUpSlug(form);
    setUpPreview(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
