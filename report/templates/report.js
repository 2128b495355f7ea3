// Sorting and filtering for the assessment table. Without this script the
// whole table shows in the report's order; nothing else depends on it.
(function () {
  "use strict";
  var table = document.getElementById("assessment-table");
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var controls = document.getElementById("table-controls");
  var text = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var status = document.getElementById("filter-status");
  var stride = document.getElementById("filter-stride");
  var count = document.getElementById("row-count");
  var noMatch = document.getElementById("no-match");

  // What the text filter searches: every cell as shown, once.
  var haystack = rows.map(function (row) {
    return row.textContent.replace(/\s+/g, " ").toLowerCase();
  });
  rows.forEach(function (row, i) {
    row.dataset.order = String(i);
  });

  function plural(n) {
    return n === 1 ? "1 threat" : n + " threats";
  }

  function applyFilters() {
    var query = text.value.replace(/\s+/g, " ").trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row, i) {
      var visible =
        (query === "" || haystack[i].indexOf(query) >= 0) &&
        (severity.value === "" || row.dataset.severity === severity.value) &&
        (status.value === "" || row.dataset.status === status.value) &&
        (stride.value === "" || row.dataset.stride.indexOf(stride.value) >= 0);
      row.hidden = !visible;
      if (visible) {
        shown++;
      }
    });
    count.textContent = shown === rows.length ? plural(rows.length) : shown + " of " + plural(rows.length);
    noMatch.hidden = shown !== 0;
  }

  // Severities and statuses sort by rank, which is their order in the
  // filter's options: most severe first, least resolved first.
  function ranks(select) {
    var rank = {};
    Array.prototype.forEach.call(select.options, function (option, i) {
      rank[option.value] = select.options.length - i;
    });
    return rank;
  }
  var severityRank = ranks(severity);
  var statusRank = ranks(status);

  function keyOf(row, column, kind) {
    if (kind === "severity") {
      return severityRank[row.dataset.severity] || 0;
    }
    if (kind === "status") {
      return statusRank[row.dataset.status] || 0;
    }
    return row.cells[column].textContent.trim();
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function sortBy(column, kind, direction) {
    wardSortRows(body, rows, headers, column, direction, function (row) {
      return keyOf(row, column, kind);
    });
  }

  headers.forEach(function (th, column) {
    var kind = th.dataset.sort;
    if (!kind) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    button.title = "Sort by " + th.textContent.toLowerCase();
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      // Ranked columns start with the most severe; text columns from A.
      var first = kind === "text" ? "ascending" : "descending";
      var current = th.getAttribute("aria-sort");
      var next = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
      sortBy(column, kind, next);
    });
  });

  text.addEventListener("input", applyFilters);
  [severity, status, stride].forEach(function (select) {
    select.addEventListener("change", applyFilters);
  });
  controls.addEventListener("reset", function () {
    // The form clears its fields after this event; filter afterwards.
    window.setTimeout(applyFilters, 0);
  });
  controls.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  controls.hidden = false;
  applyFilters();
})();
