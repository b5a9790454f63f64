/* journey-audit: sortable tables (the portfolio).
 *
 * Each column heading of a `.ja-sortable table` becomes a button; pressing it sorts
 * the rows by that column, ascending then descending, and says so with `aria-sort`
 * on the heading. Cells may carry the value to sort by in `data-value` (figures);
 * headings say `data-type="number"` or `"text"`. Empty numbers stay last.
 * No dependencies; works with Material's instant navigation (document$) and without.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function value(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
  }

  function sortBy(table, heading, index) {
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var numeric = heading.getAttribute("data-type") === "number";
    Array.prototype.forEach.call(heading.parentNode.cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index), y = value(b, index);
      if (numeric) {
        if (x === "" || y === "") return (x === "") - (y === "");
        var d = parseFloat(x) - parseFloat(y);
        return ascending ? d : -d;
      }
      var c = collator.compare(x, y);
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setup() {
    document.querySelectorAll(".ja-sortable table").forEach(function (table) {
      if (table.hasAttribute("data-ja-sortable") || !table.tHead) return;
      table.setAttribute("data-ja-sortable", "");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ja-sort";
        while (heading.firstChild) button.appendChild(heading.firstChild);
        heading.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, heading, index); });
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
