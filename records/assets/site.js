// versus index: filter, search and sort the models table. The page is complete without it.
(function () {
  "use strict";
  var table = document.getElementById("models");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  form.hidden = false;

  function has(list, item) {
    return (" " + list + " ").indexOf(" " + item + " ") !== -1;
  }

  function inBand(price, band) {
    if (!band) { return true; }
    var bounds = band.split("-");
    var low = Number(bounds[0]);
    var high = bounds[1] === "" ? Infinity : Number(bounds[1]);
    return price >= low && price < high;
  }

  function apply() {
    var query = form.elements.q.value.trim().toLowerCase();
    var capability = form.elements.capability.value;
    var band = form.elements.price.value;
    var context = Number(form.elements.context.value || 0);
    var open = form.elements.open.value;
    var provider = form.elements.provider.value;
    var count = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!query || d.search.indexOf(query) !== -1) &&
        (!capability || has(d.caps, capability)) &&
        inBand(Number(d.price), band) &&
        (!context || (d.context !== "" && Number(d.context) >= context)) &&
        (!open || d.open === open) &&
        (!provider || has(d.providers, provider));
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " models shown";
  }

  function sortBy(th, type) {
    var column = th.cellIndex;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      var cell = row.cells[column];
      var value = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
      return { row: row, i: i, value: value };
    });
    keyed.sort(function (a, b) {
      if (a.value === "" || b.value === "") {  // unknown sorts last either way
        return (a.value === "") - (b.value === "") || a.i - b.i;
      }
      var order = type === "num" ? Number(a.value) - Number(b.value)
        : a.value.localeCompare(b.value, undefined, { sensitivity: "base" });
      return (ascending ? order : -order) || a.i - b.i;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-sort]"), function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode, button.getAttribute("data-sort")); });
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
