// Clientela backoffice: the few things that need a script. Every page works without it.
"use strict";

// A refused form's summary takes the focus, so that one starts from the list of what to fix
// (the autofocus attribute does it too, where browsers honour it on a non-field). Its links
// move the focus to the field itself, with its label in view.
(function () {
  const summary = document.querySelector("[data-summary]");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  document.querySelectorAll(".summary a[href^='#']").forEach((a) => {
    a.addEventListener("click", (e) => {
      const target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      e.preventDefault();
      const label = (target.labels && target.labels[0]) || target;
      label.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  });
})();

// The invoice-by-e-mail box shows what will be saved: while the user has not touched it, it
// follows the e-mail field as the use case will (on when an e-mail is given to a customer who
// had none, off when it is removed), and the hidden field tells the server the box was left
// as shown, so that the rule decides there too.
(function () {
  const wrap = document.querySelector("[data-invoice-box]");
  const email = document.getElementById("f-email");
  if (!wrap || !email) return;
  const box = wrap.querySelector("input[type=checkbox]");
  const shown = wrap.querySelector("input[name=invoice_by_email_shown]");
  if (!box || !shown || box.disabled) return;
  const hadEmail = wrap.dataset.hadEmail === "true";
  const saved = wrap.dataset.saved === "true";
  let touched = box.checked !== (shown.value === "on");
  box.addEventListener("change", () => { touched = true; });
  email.addEventListener("input", () => {
    if (touched) return;
    const hasEmail = email.value.trim() !== "";
    box.checked = hasEmail === hadEmail ? saved : hasEmail;
    shown.value = box.checked ? "on" : "off";
  });
})();

// Selects marked data-submit-on-change (the register's group filter) apply at once; without
// a script, the form's button does it.
document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

(function () {
  // The register's search field narrows the list as the user types: the server answers
  // the rows only (?fragment=rows), a quarter of a second after the last key stroke.
  const input = document.querySelector("[data-live-search]");
  const rows = document.getElementById("customer-rows");
  if (!input || !rows) return;

  let timer = 0;
  // A search replaces the rows; "more" appends to them. A new search cancels both kinds in
  // flight, and no page is appended while a search is pending, so rows of an old query never
  // land under a new one.
  let searching = null;
  let appending = null;

  const fetchRows = (url, controller) => {
    const u = new URL(url, location.href);
    u.searchParams.set("fragment", "rows");
    return fetch(u, { signal: controller.signal, headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then((r) => {
        if (r.redirected || !r.ok) { location.href = url; return null; }
        return r.text();
      });
  };
  const failed = (e) => { if (e.name !== "AbortError") console.error(e); };

  // After the list changes, a status line tells screen readers how many rows it shows,
  // instead of reading every row out.
  const status = document.getElementById("customer-status");
  const announce = () => {
    if (!status) return;
    const n = rows.querySelectorAll("tr:not(.more):not(.empty)").length;
    let text = n === 0 ? status.dataset.zero : n === 1 ? status.dataset.single : status.dataset.plural.replace("{count}", String(n));
    if (rows.querySelector("[data-more]")) text += " " + status.dataset.tail;
    status.textContent = text;
  };

  // The line above the table says what the list holds; during a search, what was searched.
  // A message left by the last page (a customer created) goes: it is about the list as it was.
  const summary = document.getElementById("customer-summary");
  const describe = (q) => {
    if (summary) summary.textContent = q ? summary.dataset.search.replace("{q}", () => q) : summary.dataset.list;
    const flash = document.querySelector("[data-flash]");
    if (flash) flash.remove();
  };

  const search = (url) => {
    if (searching) searching.abort();
    if (appending) appending.abort();
    appending = null;
    const controller = searching = new AbortController();
    fetchRows(url, controller).then((html) => {
      if (html === null || controller !== searching) return;
      searching = null;
      rows.innerHTML = html;
      rows.dataset.loaded = String(Date.now());
      announce();
      watchMore();
    }).catch(failed);
  };

  const appendMore = (link) => {
    if (searching || appending) return;
    const controller = appending = new AbortController();
    const more = link.closest("tr");
    const hadFocus = more.contains(document.activeElement);
    fetchRows(link.href, controller).then((html) => {
      if (html === null || controller !== appending) return;
      appending = null;
      more.remove();
      const kept = rows.rows.length;
      rows.insertAdjacentHTML("beforeend", html);
      // Keep a keyboard user where they were: on the first of the new rows.
      if (hadFocus) {
        const firstNew = rows.rows[kept];
        const target = firstNew && firstNew.querySelector("a");
        (target || input).focus();
      }
      announce();
      watchMore();
    }).catch(failed);
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Keep the other filters (the group) and start again from the first page.
      const u = new URL(location.href);
      const q = input.value.trim();
      if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
      u.searchParams.delete("cursor");
      const url = u.pathname + u.search;
      history.replaceState(null, "", url);
      describe(q);
      search(url);
    }, 250);
  });
  // Keep the form's submit button for people without scripts; with one, Enter is enough.
  input.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    input.dispatchEvent(new Event("input"));
  });

  // Scrolling to the end of the list loads the next page in place.
  let observer = null;
  const watchMore = () => {
    if (!("IntersectionObserver" in window)) return;
    if (observer) observer.disconnect();
    const link = rows.querySelector("[data-more]");
    if (!link) return;
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        appendMore(link);
      }
    }, { rootMargin: "200px" });
    observer.observe(link);
  };
  rows.addEventListener("click", (e) => {
    const link = e.target.closest("[data-more]");
    if (link) { e.preventDefault(); appendMore(link); }
  });
  watchMore();
})();
