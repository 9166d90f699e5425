/* The phone menu (templates/base.html): below 48rem, once this has run (it marks <html> "menu-ready"),
   studio.css hides the main navigation behind the "Menu" button; this opens and closes it. Without this
   script (off, or failed to load) the menu simply stays open. */
(function () {
  "use strict";
  var button = document.querySelector(".menu-button[aria-controls]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  document.documentElement.classList.add("menu-ready");
  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function setOpen(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  button.addEventListener("click", function () { setOpen(!isOpen()); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) { setOpen(false); button.focus(); }
  });
  menu.addEventListener("focusout", function (event) {  /* tabbing on past the last link closes it */
    if (isOpen() && event.relatedTarget && !menu.contains(event.relatedTarget) && event.relatedTarget !== button) { setOpen(false); }
  });
  document.addEventListener("click", function (event) {
    if (isOpen() && !menu.contains(event.target) && !button.contains(event.target)) { setOpen(false); }
  });
}());
