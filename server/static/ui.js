// Instant filtering and sorting for the threat table. Without this script
// the same form and header links filter and sort on the server; nothing
// else depends on it.
(function () {
  "use strict";
  var table = document.getElementById("threat-table");
  var form = document.getElementById("table-controls");
  if (!table || !form) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var count = document.getElementById("row-count");
  var noMatch = document.getElementById("no-match");
  var all = Number((count.textContent.match(/(\d+) threats?$/) || [0, rows.length])[1]);
  // A page the server filtered holds only some rows: widening its filters
  // needs the server again.
  var serverFiltered = table.dataset.filtered === "true";
  // A table cut short is sorted by the server too.
  var truncated = table.hasAttribute("data-truncated");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

  rows.forEach(function (row, i) {
    row.dataset.order = String(i);
  });

  function plural(n) {
    return n === 1 ? "1 threat" : n + " threats";
  }

  function matches(row, name, value) {
    if (value === "") {
      return true;
    }
    switch (name) {
      case "severity":
        return row.dataset.severity === value;
      case "status":
        return row.dataset.status === value;
      case "component":
        return row.dataset.component === value;
      case "stride":
        return (" " + row.dataset.stride + " ").indexOf(" " + value + " ") >= 0;
      case "feature":
        return row.dataset.features.indexOf(" " + value + " ") >= 0;
    }
    return true;
  }

  function applyFilters() {
    var query = text.value.replace(/\s+/g, " ").trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var visible = query === "" || row.dataset.search.indexOf(query) >= 0;
      selects.forEach(function (select) {
        visible = visible && matches(row, select.name, select.value);
      });
      row.hidden = !visible;
      if (visible) {
        shown++;
      }
    });
    count.textContent = shown === all ? plural(all) : shown + " of " + plural(all);
    noMatch.hidden = shown !== 0;
  }

  // The address keeps the filters and sort, so a reload or a shared link
  // shows the same table.
  function remember() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.set(name, value);
      }
    });
    var sorted = table.querySelector("th[aria-sort]");
    if (sorted) {
      params.set("sort", sorted.dataset.key);
      params.set("dir", sorted.getAttribute("aria-sort") === "ascending" ? "asc" : "desc");
    }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + "#threats");
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function sortBy(column, direction) {
    var numeric = headers[column].hasAttribute("data-numeric");
    wardSortRows(body, rows, headers, column, direction, function (row) {
      var key = row.cells[column].dataset.sort || "";
      return numeric ? Number(key) : key;
    });
  }

  headers.forEach(function (th, column) {
    var link = th.querySelector("a.sort");
    if (!link || truncated) {
      return;
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      // Ranked columns start with the most severe; text columns from A.
      var first = th.hasAttribute("data-numeric") ? "descending" : "ascending";
      var current = th.getAttribute("aria-sort");
      var next = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
      sortBy(column, next);
      remember();
    });
  });

  text.addEventListener("input", function () {
    applyFilters();
    remember();
  });
  selects.forEach(function (select) {
    select.addEventListener("change", function () {
      if (serverFiltered) {
        form.submit();
        return;
      }
      applyFilters();
      remember();
    });
  });
  form.addEventListener("submit", function (event) {
    if (!serverFiltered) {
      event.preventDefault();
      applyFilters();
      remember();
    }
  });
  document.getElementById("filter-apply").hidden = !serverFiltered;
  applyFilters();
})();
