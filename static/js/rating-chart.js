// Draws the rating bar chart from the canvas's data-* attributes. The table beside it carries
// the same numbers, so the page is complete without JavaScript.
(function () {
  "use strict";
  var canvas = document.getElementById("rating-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = function (name) { return JSON.parse(canvas.dataset[name]); };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data("labels"),
      datasets: [
        { label: canvas.dataset.labelTotal, data: data("values"), backgroundColor: "#3b6fd8" },
        { label: canvas.dataset.labelLevel, data: data("levels"), backgroundColor: "#9bb7ee" }
      ]
    },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { min: 0, max: 100 } }
    }
  });
  canvas.parentElement.style.height = Math.max(320, data("labels").length * 34) + "px";
}());
