// Progressive enhancement only: every page works without this script.

// A phone-sized screen, as the stylesheet's breakpoint says.
const PHONE_SCREEN = window.matchMedia("(max-width: 700px)");

// The main menu folds behind a button on small screens (the CSS decides when the
// button shows). Without this script the button stays hidden and the menu open.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
  });
});

// A status form shows only what applies to the chosen status: an element marked
// data-for-status="a b" shows (and its inputs are sent) for those statuses only, and
// an input marked data-required-for="a" becomes required for them, so the browser
// says so before anything is sent.
document.addEventListener("DOMContentLoaded", () => {
  const listed = (value, chosen) => (value || "").split(" ").includes(chosen);
  document.querySelectorAll("form[data-status-form]").forEach((form) => {
    const select = form.querySelector("select[name=status]");
    if (!select) return;
    const update = () => {
      form.querySelectorAll("[data-for-status]").forEach((element) => {
        const applies = listed(element.dataset.forStatus, select.value);
        element.hidden = !applies;
        element.querySelectorAll("input, select, textarea").forEach((input) => {
          input.disabled = !applies;
        });
      });
      form.querySelectorAll("[data-required-for]").forEach((input) => {
        input.required = listed(input.dataset.requiredFor, select.value);
      });
    };
    select.addEventListener("change", update);
    update();
  });
});

// A link marked data-same-tab-on-phone opens a new tab on a desktop (beside the form
// being typed) but stays in the same tab on a phone, where other tabs get lost.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-same-tab-on-phone]");
  if (!link || !PHONE_SCREEN.matches || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  window.location.assign(link.href);
});

// Filters marked data-fold-on-phone are open on a desktop and folded on a phone.
document.addEventListener("DOMContentLoaded", () => {
  const folds = document.querySelectorAll("details[data-fold-on-phone]");
  const fit = () => folds.forEach((details) => { details.open = !PHONE_SCREEN.matches; });
  fit();
  PHONE_SCREEN.addEventListener("change", fit);
});

// A part of a page loaded after it (hx-trigger="load") is marked busy and says so
// while it loads, and says it failed if it does; its link to the same content on a
// page of its own stays. (Without this script it is only that link.)
document.addEventListener("htmx:beforeRequest", (event) => {
  const part = event.detail.elt;
  const status = part.dataset.loading && part.querySelector(".part-status");
  if (!status) return;
  part.setAttribute("aria-busy", "true");
  status.textContent = part.dataset.loading;
  status.hidden = false;
});
const partFailed = (event) => {
  const part = event.detail.elt;
  const status = part.dataset.failed && part.querySelector(".part-status");
  if (!status) return;
  status.textContent = part.dataset.failed;
  status.hidden = false;
  part.setAttribute("aria-busy", "false");
};
["htmx:responseError", "htmx:sendError", "htmx:timeout", "htmx:swapError"].forEach((name) => {
  document.addEventListener(name, partFailed);
});
