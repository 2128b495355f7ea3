// wardSortRows reorders a table body's rows by a key per row, keeping the
// original order among equal keys, and marks the sorted column's header.
// The HTML report and the server's pages share it.
var wardSortRows = function (body, rows, headers, column, direction, keyOf) {
  "use strict";
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var sign = direction === "ascending" ? 1 : -1;
  var keyed = rows.map(function (row) {
    return { row: row, key: keyOf(row), order: Number(row.dataset.order) };
  });
  keyed.sort(function (a, b) {
    var c = typeof a.key === "number" ? a.key - b.key : collator.compare(a.key, b.key);
    return c !== 0 ? sign * c : a.order - b.order;
  });
  var fragment = document.createDocumentFragment();
  keyed.forEach(function (k) {
    fragment.appendChild(k.row);
  });
  body.appendChild(fragment);
  headers.forEach(function (th, i) {
    if (i === column) {
      th.setAttribute("aria-sort", direction);
    } else {
      th.removeAttribute("aria-sort");
    }
  });
};
