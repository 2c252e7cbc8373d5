/* Sitzungsmodus (/sitzung): keyboard and button navigation between the presentation screens.
 *
 * All screens are in the page; this script shows one (class "is-active"), keeps the screen in the URL
 * (?screen=N, 1-based, next to town/year/lang) and announces "Seite 2 von 4: Engagement" in the live
 * region. Keys: ArrowRight/ArrowDown/PageDown next, ArrowLeft/ArrowUp/PageUp previous, Home first,
 * End last, F full screen. Nothing happens on other pages or while a form field has the focus.
 * A screen whose content is longer than the window (a long heading or town name, a tile's long change line, many
 * sources in the footer) is set in smaller type, step by step, until everything down to its footer fits: on a
 * projector nothing may be cut off or need scrolling, whatever a town's data. Measured when a screen is shown, when
 * the callbacks fill it and when the window changes; not on a phone (the screen scrolls there) nor in print.
 * On every page it also lets plotly re-measure the charts before and after printing (print.css), and marks the
 * body while the meeting page is shown (class meeting-page, for meeting.css).
 */
(function () {
  "use strict";

  function root() { return document.getElementById("meeting-root"); }

  function screens(r) { return Array.prototype.slice.call(r.querySelectorAll(".meeting-screen")); }

  function show(r, index) {
    const all = screens(r);
    if (!all.length) { return; }
    const i = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (s, k) { s.classList.toggle("is-active", k === i); });
    r.setAttribute("data-screen", String(i));
    r.querySelectorAll("[data-meeting-go]").forEach(function (b) {
      const current = Number(b.getAttribute("data-meeting-go")) === i;
      b.classList.toggle("is-current", current);
      b.setAttribute("aria-current", current ? "step" : "false");
    });
    const topics = (r.getAttribute("data-topics") || "").split("|");
    const counter = document.getElementById("meeting-counter");
    if (counter) {
      counter.textContent = (r.getAttribute("data-counter") || "{i} / {n}")
        .replace("{i}", String(i + 1)).replace("{n}", String(all.length)).replace("{topic}", topics[i] || "");
    }
    const p = new URLSearchParams(window.location.search);
    p.set("screen", String(i + 1));
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" + p.toString());
    const heading = all[i].querySelector(".meeting-heading");
    if (heading && document.activeElement && document.activeElement.closest
        && !document.activeElement.closest(".meeting-bar")) {
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
    fit(all[i]);
    // charts drawn while their screen was hidden have no width yet: let plotly re-measure them
    window.dispatchEvent(new Event("resize"));
  }

  const STEPS = [1, 0.94, 0.88, 0.82, 0.76, 0.7];  // of the screen's type size; 0,7 still reads from the back

  function overflows(screen) {
    const bottom = screen.getBoundingClientRect().bottom + 1;
    return Array.prototype.some.call(screen.querySelectorAll("*"), function (e) {
      const box = e.getBoundingClientRect();
      return box.height > 0 && box.bottom > bottom;
    });
  }

  function fit(screen) {
    if (!screen || !screen.classList.contains("is-active")) { return; }
    const fitted = window.innerWidth > 700 && !printing;  // a phone scrolls (meeting.css), print has pages
    for (let k = 0; k < STEPS.length; k++) {
      screen.style.fontSize = STEPS[k] === 1 ? "" : STEPS[k] + "em";
      if (!fitted || !overflows(screen)) { return; }
    }
  }

  let pending = false;
  let printing = false;
  function refit() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      const r = root();
      if (r) { fit(r.querySelector(".meeting-screen.is-active")); }
    });
  }

  // the callbacks' answers fill a screen after it is shown; Plotly's own drawing changes nothing of the layout
  function contentChanged(records) {
    if (records.some(function (m) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      return !(el && el.closest && el.closest(".js-plotly-plot"));
    })) { refit(); }
  }
  let watched = null;
  const content = new MutationObserver(contentChanged);
  function watchScreens() {
    const r = root();
    if (r === watched) { return; }
    content.disconnect();
    watched = r;
    if (r) {
      content.observe(r, { childList: true, subtree: true, characterData: true });
      refit();
    }
  }
  window.addEventListener("resize", refit);

  function current(r) { return Number(r.getAttribute("data-screen") || "0"); }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    }
  }

  document.addEventListener("keydown", function (event) {
    const r = root();
    if (!r || event.altKey || event.ctrlKey || event.metaKey) { return; }
    const target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable=true]")) { return; }
    const last = screens(r).length - 1;
    let next = null;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": next = current(r) + 1; break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": next = current(r) - 1; break;
      case "Home": next = 0; break;
      case "End": next = last; break;
      case "f": case "F": toggleFullscreen(); event.preventDefault(); return;
      default: return;
    }
    event.preventDefault();
    show(r, next);
  });

  document.addEventListener("click", function (event) {
    const r = root();
    if (!r || !event.target.closest) { return; }
    const go = event.target.closest("[data-meeting-go]");
    if (go) { show(r, Number(go.getAttribute("data-meeting-go"))); return; }
    if (event.target.closest("[data-meeting-fullscreen]")) { toggleFullscreen(); }
  });

  // body.meeting-page while the meeting page is shown (meeting.css lays the page out by it): set before the next
  // paint whenever the page's content changes (Dash's pages router replaces it without a reload). A mutation
  // observer callback is one id lookup; a CSS :has() over the document would be re-evaluated at each of Plotly's
  // changes instead.
  function markMeetingPage() {
    // toggle with a force changes the attribute only when the class changes (no mutation otherwise)
    document.body.classList.toggle("meeting-page", Boolean(root()));
    watchScreens();
  }
  function watch() {
    markMeetingPage();
    new MutationObserver(markMeetingPage).observe(document.body, { childList: true, subtree: true });
  }
  if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }

  // Every dashboard page (print.css): charts were drawn at the screen width; let plotly re-measure them
  // for the page width before printing and again afterwards.
  function remeasure() { window.dispatchEvent(new Event("resize")); }
  window.addEventListener("beforeprint", function () {
    printing = true;
    document.querySelectorAll(".meeting-screen").forEach(function (s) { s.style.fontSize = ""; });
    remeasure();
  });
  window.addEventListener("afterprint", function () { printing = false; remeasure(); });
})();
