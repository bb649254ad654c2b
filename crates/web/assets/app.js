// tinhgon: small progressive enhancement; every page works without it.
(function () {
  "use strict";
  // Ask before destructive or final actions (buttons carrying data-confirm).
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) { e.preventDefault(); }
  });
  // Forms are sent by script where the browser can: a refused form keeps the page and what was
  // typed, with the server's message beside the field it is about; a second click while the
  // first is on its way does nothing. Without the script the form posts as usual.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.method.toLowerCase() !== "post" || form.hasAttribute("data-native") || !window.fetch) { return; }
    e.preventDefault();
    if (form.getAttribute("aria-busy") === "true") { return; }
    var data;
    try { data = new FormData(form, e.submitter); } catch (err) { data = new FormData(form); if (e.submitter && e.submitter.name) { data.append(e.submitter.name, e.submitter.value); } }
    var multipart = (form.enctype || "").indexOf("multipart") === 0;
    var body = multipart ? data : new URLSearchParams(data);
    form.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "x-tinhgon-form": "1" } })
      .then(function (r) {
        var to = r.headers.get("x-tinhgon-location");
        if (r.ok && to) { go(to); return null; }
        if (r.ok) { return r.text().then(function (html) { document.open(); document.write(html); document.close(); }); }
        var field = r.headers.get("x-tinhgon-field");
        return r.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var p = doc.querySelector("main .panel p");
          showError(form, field, p ? p.textContent : "Không gửi được biểu mẫu (mã lỗi " + r.status + ").");
        });
      })
      .catch(function () { showError(form, null, "Không kết nối được máy chủ; dữ liệu đã nhập vẫn còn, vui lòng thử lại."); })
      .then(function () { form.removeAttribute("aria-busy"); });
  });
  // A target that differs from this page by its #fragment only would not load again.
  function go(to) {
    var u = new URL(to, window.location.href);
    if (u.pathname + u.search === window.location.pathname + window.location.search) {
      if (u.hash) { window.location.hash = u.hash; }
      window.location.reload();
    } else {
      window.location.assign(u.href);
    }
  }
  function showError(form, field, text) {
    form.querySelectorAll(".field-error").forEach(function (n) { n.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var msg = document.createElement("div");
    msg.className = "field-error";
    msg.setAttribute("role", "alert");
    msg.textContent = text;
    var input = field ? form.querySelector("[name='" + field.replace(/'/g, "") + "']") : null;
    if (input && input.type !== "hidden") {
      input.setAttribute("aria-invalid", "true");
      var anchor = input.closest(".pick, .filepick") || input;
      anchor.parentNode.insertBefore(msg, anchor.nextSibling);
      input.focus();
    } else {
      form.insertBefore(msg, form.firstChild);
    }
    msg.scrollIntoView({ block: "center" });
  }
  // "Tất cả" boxes check every item of their form (approval queue).
  document.addEventListener("change", function (e) {
    var all = e.target.closest("[data-check-all]");
    if (!all) { return; }
    all.form.querySelectorAll("input[type=checkbox][name=item]").forEach(function (b) { b.checked = all.checked; });
  });
  // Import review: hovering or focusing a task highlights its source lines and scrolls to them.
  function focusLines(el) {
    var s = parseInt(el.getAttribute("data-line-start"), 10), t = parseInt(el.getAttribute("data-line-end"), 10);
    if (!s) { return; }
    document.querySelectorAll(".source .ln.focus").forEach(function (l) { l.classList.remove("focus"); });
    for (var i = s; i <= t; i++) {
      var l = document.getElementById("L" + i);
      if (l) { l.classList.add("focus"); if (i === s) { l.scrollIntoView({ block: "center", behavior: "smooth" }); } }
    }
  }
  // File inputs: the browser's own button speaks the browser's language; show ours instead.
  document.querySelectorAll("input[type=file][id]").forEach(function (inp) {
    var wrap = document.createElement("div"), pick = document.createElement("label"), names = document.createElement("span");
    var none = inp.multiple ? "Chưa chọn tệp nào (có thể chọn nhiều tệp)" : "Chưa chọn tệp nào";
    wrap.className = "filepick";
    pick.className = "button secondary";
    pick.htmlFor = inp.id;
    pick.textContent = inp.multiple ? "Chọn các tệp…" : "Chọn tệp…";
    names.className = "small muted";
    names.textContent = none;
    inp.parentNode.insertBefore(wrap, inp);
    wrap.appendChild(inp);
    wrap.appendChild(pick);
    wrap.appendChild(names);
    inp.classList.add("picker-native");
    inp.addEventListener("change", function () {
      var list = Array.prototype.map.call(inp.files, function (f) { return f.name; });
      names.textContent = list.length ? list.join(", ") : none;
    });
  });
  // Long lists of units (the register has some 160 at the province level): a box above the list
  // narrows it as one types, with or without diacritics ("so tu phap" finds "Sở Tư pháp").
  function fold(t) {
    return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  document.querySelectorAll("select").forEach(function (sel) {
    if (sel.options.length < 30 || sel.multiple) { return; }
    var wrap = document.createElement("div"), box = document.createElement("input");
    wrap.className = "pick";
    box.type = "search";
    box.className = "pick-filter";
    box.placeholder = "Gõ tên để lọc…";
    box.setAttribute("aria-label", "Lọc danh sách " + (sel.getAttribute("aria-label") || ""));
    sel.parentNode.insertBefore(wrap, sel);
    wrap.appendChild(box);
    wrap.appendChild(sel);
    box.addEventListener("input", function () {
      var q = fold(box.value.trim()), first = null;
      Array.prototype.forEach.call(sel.options, function (o) {
        var keep = !q || o.value === "" || o.value === "ignore" || fold(o.text).indexOf(q) >= 0;
        o.hidden = !keep;
        if (keep && !first && o.value !== "" && o.value !== "ignore") { first = o; }
      });
      if (q && first) { sel.value = first.value; }
    });
  });
  document.querySelectorAll(".draft-task[data-line-start]").forEach(function (el) {
    el.addEventListener("focusin", function () { focusLines(el); });
    el.addEventListener("mouseenter", function () { focusLines(el); });
  });
})();

// A read-only address to copy is selected whole on click (no inline handler: the content
// security policy forbids them).
document.addEventListener("click", function (e) {
  var field = e.target.closest && e.target.closest("[data-select-all]");
  if (field) field.select();
});
