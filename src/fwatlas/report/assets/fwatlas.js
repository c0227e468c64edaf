/* Draw every figure of the page from its script-safe JSON, in the page's colours. */
(function () {
  "use strict";
  function fg() { return getComputedStyle(document.body).color; }
  function drawAll() {
    var divs = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < divs.length; i++) {
      var div = divs[i];
      var holder = document.getElementById(div.getAttribute("data-figure"));
      if (!holder) { continue; }
      var spec = JSON.parse(holder.textContent);
      var layout = spec.layout || {};
      layout.font = Object.assign({}, layout.font || {}, { color: fg() });
      Plotly.newPlot(div, spec.data || [], layout,
        { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] });
    }
  }
  function recolour() {
    var divs = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < divs.length; i++) {
      if (divs[i].data) { Plotly.relayout(divs[i], { "font.color": fg() }); }
    }
  }
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) { mq.addEventListener("change", recolour); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
