// Filter and sort for the book's long tables (the evidence register, the places index): any table with the
// class "filterable" gets a search box above it and sortable column headings. Written for this book, with
// no library and nothing fetched; without JavaScript the whole table is simply shown.
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  // A number with an optional qualifier, currency or unit ("about 15%", "£227 million") sorts as a number.
  function sortKey(text) {
    var match = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
    return match ? parseFloat(match[0]) : null;
  }

  function addFilter(table, index) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var label = document.createElement("label");
    var id = "table-filter-" + index;
    label.setAttribute("for", id);
    label.className = "table-filter-label";
    label.textContent = "Show only rows containing: ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "table-filter";
    var status = document.createElement("span");
    status.className = "table-filter-status";
    status.setAttribute("role", "status");
    label.appendChild(input);
    var holder = document.createElement("div");
    holder.className = "table-tools";
    holder.appendChild(label);
    holder.appendChild(status);
    table.parentNode.insertBefore(holder, table);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var keep = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      status.textContent = query ? shown + " of " + body.rows.length + " rows shown" : "";
    });
  }

  function addSorting(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body) { return; }
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "table-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellText(a, index), y = cellText(b, index);
          var nx = sortKey(x), ny = sortKey(y);
          var order = (nx !== null && ny !== null && nx !== ny) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.filterable"), function (table, index) {
      addFilter(table, index);
      addSorting(table);
    });
  });
})();
