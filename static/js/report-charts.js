// Charts of the report pages, drawn from each canvas's data-chart JSON (smartcity_survey/reports/charts.py).
// The tables beside them carry the same numbers, so the pages are complete without JavaScript.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var COLOURS = { official: "#1f3f8f", resident: "#e07b00", business: "#2e8b57" };
  var INK = "#222";

  function chartData(canvas) { return JSON.parse(canvas.dataset.chart); }

  function format(value, places) {
    return value === null || value === undefined ? "—" : value.toFixed(places === undefined ? 1 : places);
  }

  // 95 % interval whiskers on horizontal bars: a line from dataset.low[i] to dataset.high[i] through the
  // bar's middle, with end caps. Datasets without low/high (the official bars) get none.
  var whiskers = {
    id: "whiskers",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, scale = chart.scales.x;
      chart.data.datasets.forEach(function (dataset, index) {
        if (!dataset.low || !chart.isDatasetVisible(index)) { return; }
        chart.getDatasetMeta(index).data.forEach(function (bar, i) {
          var low = dataset.low[i], high = dataset.high[i];
          if (low === null || high === null || dataset.data[i] === null) { return; }
          var left = scale.getPixelForValue(low), right = scale.getPixelForValue(high);
          var cap = Math.max(3, Math.min(bar.height / 2 - 1, 6));
          ctx.save();
          ctx.strokeStyle = INK;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(left, bar.y); ctx.lineTo(right, bar.y);
          ctx.moveTo(left, bar.y - cap); ctx.lineTo(left, bar.y + cap);
          ctx.moveTo(right, bar.y - cap); ctx.lineTo(right, bar.y + cap);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  // An area's name in lines of at most `width` characters, broken at spaces and after hyphens. Chart.js
  // gives the labels beside horizontal bars only part of the canvas and cuts longer ones off at the left
  // edge, which on a phone left "...муникациялық технологиялар". The data keeps the whole names.
  function lines(name, width) {
    var result = [], line = "";
    (name.match(/[^\s-]+-*|-+/g) || [name]).forEach(function (word) {
      var joined = line && !/-$/.test(line) ? line + " " + word : line + word;
      if (line && joined.length > width) { result.push(line); line = word; } else { line = joined; }
    });
    if (line) { result.push(line); }
    return result;
  }

  function areaChart(canvas) {
    var spec = chartData(canvas);
    var datasets = spec.datasets.map(function (set) {
      return { label: set.label, data: set.values, low: set.low, high: set.high,
               backgroundColor: COLOURS[set.key], borderWidth: 0, barPercentage: 0.9, categoryPercentage: 0.8 };
    });
    canvas.parentElement.style.height = Math.max(360, spec.labels.length * 66) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      plugins: [whiskers],
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { min: 0, max: 100, title: { display: true, text: spec.axis } },
                  y: { ticks: { callback: function (value) { return lines(this.getLabelForValue(value), 18); } } } },
        plugins: {
          legend: { position: "top" },
          tooltip: { callbacks: { label: function (item) {
            var set = item.dataset, i = item.dataIndex, text = set.label + ": " + format(item.raw);
            return set.low && set.low[i] !== null ? text + " (" + format(set.low[i]) + "–" + format(set.high[i]) + ")" : text;
          } } }
        }
      }
    });
  }

  // Each city's name beside its point, so the scatter reads without hovering.
  var pointLabels = {
    id: "pointLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, points = chart.data.datasets[0].data;
      ctx.save();
      ctx.fillStyle = INK;
      ctx.font = "11px system-ui, sans-serif";
      chart.getDatasetMeta(0).data.forEach(function (element, i) {
        // near the right edge the name goes on the point's left, so it is never cut off
        var left = element.x + 7 + ctx.measureText(points[i].label).width > chart.chartArea.right;
        ctx.textAlign = left ? "right" : "left";
        ctx.fillText(points[i].label, left ? element.x - 7 : element.x + 7, element.y + 4);
      });
      ctx.restore();
    }
  };

  // One range for both axes, so the diagonal "equal levels" line runs at 45 degrees.
  function sharedRange(points) {
    var values = [];
    points.forEach(function (p) { values.push(p.x, p.y); });
    var low = Math.max(0, Math.floor((Math.min.apply(null, values) - 5) / 10) * 10);
    var high = Math.min(100, Math.ceil((Math.max.apply(null, values) + 5) / 10) * 10);
    return { low: low, high: high };
  }

  function scatterChart(canvas) {
    var spec = chartData(canvas);
    if (!spec.points.length) { return; }
    var range = sharedRange(spec.points);
    var axis = function (title) { return { type: "linear", min: range.low, max: range.high, title: { display: true, text: title } }; };
    new Chart(canvas, {
      type: "scatter",
      data: { datasets: [
        { label: spec.points_label, data: spec.points, backgroundColor: COLOURS.resident, pointRadius: 5, pointHoverRadius: 7 },
        { type: "line", label: spec.diagonal, data: [{ x: range.low, y: range.low }, { x: range.high, y: range.high }],
          borderColor: "#888", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0 }
      ] },
      plugins: [pointLabels],
      options: {
        responsive: true, maintainAspectRatio: true, aspectRatio: 1.1, animation: false,
        scales: { x: axis(spec.x_title), y: axis(spec.y_title) },
        plugins: { tooltip: { filter: function (item) { return item.datasetIndex === 0; }, callbacks: { label: function (item) {
          return item.raw.label + ": " + format(item.raw.x, 2) + " / " + format(item.raw.y, 2);
        } } } }
      }
    });
  }

  var areas = document.getElementById("areas-chart");
  if (areas) { areaChart(areas); }
  var scatter = document.getElementById("national-scatter");
  if (scatter) { scatterChart(scatter); }
}());
