(function () {
  "use strict";
  var status = document.getElementById("filter-status");
  var category = document.getElementById("filter-category");
  var count = document.getElementById("filter-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status]"));
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (status.value === "all" || row.getAttribute("data-status") === status.value) &&
        (category.value === "all" || row.getAttribute("data-category") === category.value);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  status.addEventListener("change", apply);
  category.addEventListener("change", apply);
  document.getElementById("filters").hidden = false;
  apply();
  // A marker the browser test reads: this script, and only this one, ran.
  document.documentElement.setAttribute("data-report-script", "ran");
})();
