// The till: its forms work without this script (each posts and comes back to the ticket).
// With it, they post with fetch and the ticket is swapped in place, so that a loyalty card
// scanned into the scan field (a scanner types digits, then Enter) lands on the ticket
// without a page load and the field keeps the focus for the next scan.
"use strict";

(function () {
  const till = document.querySelector("[data-till]");
  if (!till) return;
  const main = document.getElementById("till-main");
  const status = document.getElementById("till-status");
  const scanForm = till.querySelector("[data-scan-form]");
  const scan = document.getElementById("scan");
  let busy = null;

  const say = (text, alert) => {
    status.textContent = text || "";
    status.classList.toggle("alert", !!alert);
  };

  const focus = (id) => {
    const el = id && document.getElementById(id);
    if (el) {
      el.focus();
      if (el === scan) scan.select();
    } else {
      scan.focus();
    }
  };

  // After the first action on a new ticket the ticket has an address: forms that name it
  // are in the swapped part, except the scan field's.
  const moveTo = (url) => {
    if (!url) return;
    if (location.pathname !== url) history.replaceState(null, "", url);
    scanForm.action = url + "/scan";
  };

  const send = (form, submitter) => {
    if (busy) return; // one action at a time: a second Enter waits for the first answer
    const body = new URLSearchParams(new FormData(form, submitter));
    busy = fetch(form.action, {
      method: "POST", body, credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then((r) => {
      const type = r.headers.get("Content-Type") || "";
      if (!type.startsWith("application/json")) {
        // An error page (the session ended, a ticket closed elsewhere): show it whole.
        return r.text().then((html) => { document.open(); document.write(html); document.close(); });
      }
      return r.json().then((a) => {
        if (a.redirect) { location.assign(a.redirect); return; }
        if (a.html !== undefined) {
          main.innerHTML = a.html;
          bind();
        }
        moveTo(a.url);
        say(a.status, a.alert);
        if (form === scanForm && !a.alert) scan.value = "";
        focus(a.focus);
      });
    }).catch((e) => {
      console.error(e);
      form.submit(); // the network failed: let the browser try, and show what it gets
    }).finally(() => { busy = null; });
  };

  // The change to give, as the cashier types what the customer hands over.
  const bindPay = () => {
    const pay = main.querySelector("[data-pay]");
    if (!pay) return;
    const out = pay.querySelector("#change");
    const total = Number(pay.dataset.total);
    const lang = pay.dataset.lang;
    const cents = (text) => {
      // Euros as typed: "20", "20,5", "1.234,50" (Spanish), "20.50" (English).
      let t = text.replace(/[\s€]/g, "");
      if (t === "") return 0;
      if (lang === "en") t = t.replace(/,/g, "");
      else if (/,/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
      else if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, "");
      if (!/^\d+(\.\d{1,2})?$/.test(t)) return NaN;
      const [u, f = ""] = t.split(".");
      return Number(u) * 100 + Number((f + "00").slice(0, 2));
    };
    const fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "es-ES", { style: "currency", currency: "EUR" });
    const update = () => {
      const cash = cents(pay.elements.cash.value);
      // Card, account and credit pay at most the total; change comes only from cash.
      let other = 0;
      for (const name of ["card", "account", "credit"]) {
        const field = pay.elements[name];
        if (field) other += cents(field.value);
      }
      if (Number.isNaN(cash) || Number.isNaN(other) || cash === 0) { out.value = out.dataset.changeNone; return; }
      const change = cash + other - total;
      out.value = change >= 0 && other <= total ? fmt.format(change / 100) : out.dataset.changeNone;
    };
    pay.addEventListener("input", update);
    update();
  };

  const bind = () => {
    main.querySelectorAll("form[data-till-form]").forEach((f) => {
      f.addEventListener("submit", (e) => {
        e.preventDefault();
        if (f.dataset.confirm && !window.confirm(f.dataset.confirm)) return;
        send(f, e.submitter);
      });
    });
    bindPay();
  };

  // A scanner types wherever the focus is. Digits typed while no field has it (after a
  // click on a button, say) go to the scan field, so a card scanned then still lands.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !/^[0-9]$/.test(e.key)) return;
    const a = document.activeElement;
    if (a && (a.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName))) return;
    scan.focus();
  });

  scanForm.addEventListener("submit", (e) => {
    e.preventDefault();
    send(scanForm, e.submitter);
  });
  bind();
  // The page may come back with the focus named in its address (after adding a line
  // without the script); the address forgets it so that a reload scans again.
  if (location.search.includes("focus=")) history.replaceState(null, "", location.pathname);
})();

// The receipt's "Imprimir" button.
document.querySelectorAll("[data-print]").forEach((b) => {
  b.addEventListener("click", () => window.print());
});
