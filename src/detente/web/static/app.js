(function () {
  "use strict";
  var data = document.getElementById("records");
  var panel = document.getElementById("record");
  var records = data ? JSON.parse(data.textContent) : {};

  function line(parent, tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }

  function show(piece) {
    if (!panel) return;
    panel.textContent = "";
    (piece.getAttribute("data-r") || "").split(" ").forEach(function (key) {
      var r = records[key];
      if (!r) return;
      var box = document.createElement("div");
      box.className = "rec l-" + r.layer;
      line(box, "p", r.layer, "layer");
      line(box, "p", r.label, "label");
      var dl = document.createElement("dl");
      Object.keys(r.fields).forEach(function (k) {
        line(dl, "dt", k);
        line(dl, "dd", String(r.fields[k]));
      });
      box.appendChild(dl);
      if (r.edit && dialog) line(box, "p", "Click the word to correct it.", "hint");
      panel.appendChild(box);
    });
  }

  document.querySelectorAll("[data-r]").forEach(function (piece) {
    piece.addEventListener("mouseenter", function () { show(piece); });
    piece.addEventListener("focus", function () { show(piece); });
  });

  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-layer"), !box.checked);
    });
  });

  // Editing (the server runs with --allow-edit): a "correct" button, or a marked word of a document, opens the
  // dialog with what it names; the dialog posts JSON to the API and reloads the page to show the change.
  var dialog = document.getElementById("edit");
  var current = null;

  function specs() {
    var all = [];
    document.querySelectorAll("[data-edit]").forEach(function (el) {
      all.push(JSON.parse(el.getAttribute("data-edit")));
    });
    Object.keys(records).forEach(function (k) { if (records[k].edit) all.push(records[k].edit); });
    return all;
  }

  function ids(text) {
    return text.split(",").map(function (x) { return x.trim(); }).filter(function (x) { return x; });
  }

  function kind() {
    return dialog.querySelector("input[name=kind]:checked").value;
  }

  function showParts() {
    dialog.querySelectorAll(".part").forEach(function (part) {
      part.hidden = part.getAttribute("data-kind") !== kind();
    });
  }

  function openEdit(spec) {
    if (!dialog) return;
    current = spec;
    var form = dialog.querySelector("form");
    form.reset();
    document.getElementById("edit-what").textContent = spec.what;
    document.getElementById("edit-label").textContent = spec.label;
    document.getElementById("edit-error").textContent = "";
    dialog.querySelectorAll("[data-for]").forEach(function (label) {
      label.hidden = label.getAttribute("data-for").split(" ").indexOf(spec.what) < 0;
    });
    if (spec.type) form.elements.type.value = spec.type;
    form.elements.date.value = spec.date || "";
    form.elements.actors.value = (spec.actors || []).join(", ");
    form.elements.recipients.value = (spec.recipients || []).join(", ");
    var list = document.getElementById("edit-choices");
    list.textContent = "";
    var seen = {};
    seen[spec.ref] = true;
    specs().forEach(function (other) {
      if (other.what !== spec.what || seen[other.ref]) return;
      seen[other.ref] = true;
      var option = document.createElement("option");
      option.value = other.ref;
      option.label = other.label;
      list.appendChild(option);
    });
    showParts();
    dialog.showModal();
  }

  function body(form) {
    var k = kind();
    var out = { kind: k === "merge" ? (current.what === "event" ? "merge_events" : "merge_entities") : k,
                reason: form.elements.reason.value.trim() || null };
    var refs = [current.ref];
    if (k === "merge") refs.push(form.elements["with"].value.trim());
    out[current.what === "event" ? "events" : "entities"] = refs;
    if (k === "retype") out.type = form.elements.type.value;
    if (k === "redate") {
      out.date = form.elements.date.value.trim();
      out.approximate = form.elements.approximate.checked;
    }
    if (k === "redirect") {
      if (form.querySelector("input[name=sides]:checked").value === "swap") {
        out.swap = true;
      } else {
        out.actors = ids(form.elements.actors.value);
        out.recipients = ids(form.elements.recipients.value);
      }
    }
    return out;
  }

  if (dialog) {
    var form = dialog.querySelector("form");
    var error = document.getElementById("edit-error");
    dialog.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", showParts); });
    document.getElementById("edit-cancel").addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var save = document.getElementById("edit-save");
      save.disabled = true;
      error.textContent = "";
      fetch("/api/corrections", { method: "POST", headers: { "Content-Type": "application/json" },
                                  body: JSON.stringify(body(form)) })
        .then(function (r) {
          return r.json().then(function (answer) {
            if (!r.ok) throw new Error(answer.error || "refused (" + r.status + ")");
            location.reload();
          });
        })
        .catch(function (err) { error.textContent = err.message; })
        .then(function () { save.disabled = false; });
    });
    document.querySelectorAll("button.edit[data-edit]").forEach(function (button) {
      button.addEventListener("click", function () { openEdit(JSON.parse(button.getAttribute("data-edit"))); });
    });
    document.querySelectorAll("#doctext [data-r]").forEach(function (piece) {
      piece.addEventListener("click", function () {
        var key = (piece.getAttribute("data-r") || "").split(" ").filter(function (k) {
          return records[k] && records[k].edit;
        })[0];
        if (key) openEdit(records[key].edit);
      });
    });
  }

  var id = location.hash.slice(1);
  var target = id.indexOf("at-") === 0 && document.getElementById(id);
  if (target && target.closest("#doctext")) {
    target.classList.add("flash");
    target.scrollIntoView({ block: "center" });
    if (target.hasAttribute("data-r")) show(target);
  }
})();
