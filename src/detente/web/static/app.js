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

  var id = location.hash.slice(1);
  var target = id.indexOf("at-") === 0 && document.getElementById(id);
  if (target && target.closest("#doctext")) {
    target.classList.add("flash");
    target.scrollIntoView({ block: "center" });
    if (target.hasAttribute("data-r")) show(target);
  }
})();
