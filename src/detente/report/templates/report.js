(function () {
  "use strict";
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim().toLowerCase();
  }

  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = cellKey(a, index), y = cellKey(b, index);
      var c = NUMBER.test(x) && NUMBER.test(y) ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, th, index); });
    });
  });

  document.querySelectorAll("input.filter").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });

  function reveal() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {  // a malformed link (#%E0%A4%A): nothing to reveal
      return;
    }
    var target = id && document.getElementById(id);
    if (!target || target.tagName !== "TR") return;
    target.hidden = false;
    target.querySelectorAll("details").forEach(function (d) { d.open = true; });
    target.classList.remove("flash");
    void target.offsetWidth;
    target.classList.add("flash");
  }
  window.addEventListener("hashchange", reveal);
  reveal();

  var toggle = document.getElementById("expand-all");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-pressed") !== "true";
      document.querySelectorAll("details.src").forEach(function (d) { d.open = open; });
      toggle.setAttribute("aria-pressed", open ? "true" : "false");
      toggle.textContent = open ? "close all sources" : "open all sources";
    });
  }
})();
