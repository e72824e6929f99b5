/* Answering pages: show and hide questions live for the simple skip rules the server describes in
   data-show-when ({"q": name, "op": "=" | "!=" | "selected", "value": text}). Only a preview: the
   server judges skip logic again on "Next" and on submit, and the pages work without this script. */
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form) { return; }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var ruled = Array.prototype.slice.call(form.querySelectorAll("[data-show-when]"));
  if (!ruled.length) { return; }

  /* The answer as the expressions read it: choices space-separated; "" when its question is hidden. */
  function answerOf(name) {
    var wrapper = document.getElementById("w-" + name);
    if (!wrapper || wrapper.hidden) { return ""; }
    var items = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name !== name) { return; }
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) { return; }
      if (element.value.trim()) { items.push(element.value.trim()); }
    });
    return items.join(" ");
  }

  function holds(rule) {
    var answer = answerOf(rule.q);
    if (rule.op === "=") { return answer === rule.value; }
    if (rule.op === "!=") { return answer !== rule.value; }
    return answer.split(" ").indexOf(rule.value) !== -1;
  }

  /* In document order, so a question hidden now reads as unanswered for the ones after it. */
  function update() {
    ruled.forEach(function (wrapper) {
      wrapper.hidden = !holds(JSON.parse(wrapper.getAttribute("data-show-when")));
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
}());
