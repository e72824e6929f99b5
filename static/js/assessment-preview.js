// Live draft preview on an area page: while the officer types, post the form (without its files)
// to the preview endpoint and refresh the draft figures. The page works without this script: the
// same figures are rendered by the server after every save.
(function () {
  "use strict";
  var form = document.getElementById("area-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.dataset.previewUrl;
  var live = document.querySelector("[data-preview-live]");
  var timer = null;

  function show(name, value) {
    var output = document.querySelector('[data-preview="' + name + '"]');
    if (output) { output.textContent = value === null || value === undefined ? "—" : String(value); }
  }

  function refresh() {
    var data = new FormData(form);
    form.querySelectorAll('input[type="file"]').forEach(function (input) { data.delete(input.name); });
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) { return; }
        show("area-percent", result.area.percent === null ? null : result.area.percent.toFixed(1));
        show("answered", result.area.answered);
        show("group-percent", result.group.percent === null ? null : result.group.percent.toFixed(1));
        show("group-points", result.group.points);
        show("total-percent", result.total.percent === null ? null : result.total.percent.toFixed(1));
        if (live) { live.hidden = false; }
      })
      .catch(function () { /* the saved figures stay on screen; saving still works */ });
  }

  function schedule(event) {
    if (event.target && event.target.type === "file") { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
}());
