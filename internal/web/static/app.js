// Clientela backoffice: the few things that need a script. Every page works without it.
"use strict";
(function () {
  // The register's search field narrows the list as the user types: the server answers
  // the rows only (?fragment=rows), a quarter of a second after the last key stroke.
  const input = document.querySelector("[data-live-search]");
  const rows = document.getElementById("customer-rows");
  if (input && rows) {
    let timer = 0;
    let inflight = null;
    const load = (url, append) => {
      if (inflight) inflight.abort();
      inflight = new AbortController();
      const u = new URL(url, location.href);
      u.searchParams.set("fragment", "rows");
      return fetch(u, { signal: inflight.signal, headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then((r) => {
          if (r.redirected || !r.ok) { location.href = url; return null; }
          return r.text();
        })
        .then((html) => {
          if (html === null) return;
          if (append) {
            const more = rows.querySelector("tr.more");
            if (more) more.remove();
            rows.insertAdjacentHTML("beforeend", html);
          } else {
            rows.innerHTML = html;
          }
          rows.dataset.loaded = String(Date.now());
          watchMore();
        })
        .catch((e) => { if (e.name !== "AbortError") console.error(e); });
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
        load(url, false);
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
          load(link.href, true);
        }
      }, { rootMargin: "200px" });
      observer.observe(link);
    };
    rows.addEventListener("click", (e) => {
      const link = e.target.closest("[data-more]");
      if (link) { e.preventDefault(); load(link.href, true); }
    });
    watchMore();
  }
})();
