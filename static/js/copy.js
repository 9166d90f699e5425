/* Copy buttons: <button data-copy-from="ID" data-copied="Copied" hidden> beside a readonly field.
   With a clipboard the button appears, copies the field and says so; without script (or clipboard)
   the field stays, to select and copy by hand. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field) { return; }
    var label = button.textContent;
    var status = button.closest(".copy-field") && button.closest(".copy-field").querySelector(".copy-status");
    var timer = null;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
        button.classList.add("is-copied");
        if (status) { status.textContent = button.getAttribute("data-copied"); }
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = label;
          button.classList.remove("is-copied");
          if (status) { status.textContent = ""; }
        }, 4000);
      }, function () {
        field.focus();
        field.select();
      });
    });
  });
}());
