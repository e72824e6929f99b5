// Draws responses per day from the canvas's data-* attributes. The table beside it carries the same
// numbers, so the page is complete without JavaScript.
(function () {
  "use strict";
  var canvas = document.getElementById("responses-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = function (name) { return JSON.parse(canvas.dataset[name]); };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data("labels"),
      datasets: [{ label: canvas.dataset.labelResponses, data: data("values"), backgroundColor: "#3b6fd8" }]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
}());
