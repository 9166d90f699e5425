/* Live preview of a post's Markdown in the admin.
   The server renders and sanitises (the same code as the public page), so what
   appears here is what readers will see. No inline script: loaded as a static file. */
(function () {
  "use strict";

  function setUp() {
    var source = document.querySelector("textarea[data-preview-url]");
    if (!source) { return; }
    var form = source.form;
    var tokenField = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!tokenField) { return; }

    var panel = document.createElement("section");
    panel.className = "blog-preview";
    panel.setAttribute("aria-label", source.dataset.previewLabel || "Preview");
    var meta = document.createElement("p");
    meta.className = "blog-preview-meta";
    meta.setAttribute("aria-live", "polite");
    var output = document.createElement("div");
    output.className = "blog-preview-body";
    panel.appendChild(meta);
    panel.appendChild(output);
    source.insertAdjacentElement("afterend", panel);

    var timer = null;
    var latest = 0;

    function refresh() {
      var request = ++latest;
      var body = new URLSearchParams();
      body.append("body", source.value);
      fetch(source.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenField.value, "Accept": "application/json" },
        body: body
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (request !== latest) { return; }  // an older answer arriving late
        output.innerHTML = data.html;  // sanitised by the server (nh3)
        meta.textContent = data.summary;
        panel.classList.remove("is-stale");
      }).catch(function () {
        panel.classList.add("is-stale");
      });
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 350);
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
