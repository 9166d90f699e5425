/* "Copy link" under an article: shown only when the browser can copy. No tracking, no third parties. */
(function () {
  "use strict";
  var button = document.querySelector(".copy-link");
  if (!button || !navigator.clipboard) { return; }
  var status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.dataset.url).then(function () {
      if (status) { status.textContent = button.dataset.done; }
    });
  });
})();
