/* Draw every figure of the page from its script-safe JSON, in the page's colours, fitted to
   the screen: titles wrap instead of being cut, long legends go below the plot, and heatmap
   cell text that could not be read (< 10 px) is left to the hover and the table. */
(function () {
  "use strict";
  function fg() { return getComputedStyle(document.body).color; }
  function wrap(text, max) {
    if (!text || text.length <= max || text.indexOf("<br>") >= 0) { return text; }
    var words = text.split(" "), lines = [], line = "";
    for (var i = 0; i < words.length; i++) {
      if (line && (line + " " + words[i]).length > max) { lines.push(line); line = words[i]; }
      else { line = line ? line + " " + words[i] : words[i]; }
    }
    if (line) { lines.push(line); }
    return lines.join("<br>");
  }
  function lines(text) { return text ? text.split("<br>").length : 0; }
  function fit(div, spec) {
    var layout = spec.layout || {};
    var width = div.clientWidth || window.innerWidth;
    var t = layout.title;
    var size = (t && t.font && t.font.size) || 15;
    if (t && typeof t === "object" && t.text) {
      t.text = wrap(t.text, Math.max(16, Math.floor((width - 24) / (size * 0.56))));
      var margin = layout.margin = Object.assign({}, layout.margin || {});
      margin.t = Math.max(margin.t || 0, 16 + lines(t.text) * size * 1.35);
      layout.height = (layout.height || 380) + (lines(t.text) - 1) * size * 1.35;
    }
    ["xaxis", "yaxis", "yaxis2"].forEach(function (k) {
      var ax = layout[k];
      if (ax && ax.title && ax.title.text) {
        var room = k === "xaxis" ? width : (layout.height || 380);
        ax.title.text = wrap(ax.title.text, Math.max(14, Math.floor((room - 60) / 7)));
      }
    });
    var data = spec.data || [];
    var named = data.filter(function (d) { return d.showlegend !== false && d.name; }).length;
    if (width < 600 || named > 6) {
      layout.legend = Object.assign({}, layout.legend || {},
        { orientation: "h", x: 0, xanchor: "left", y: -0.22, yanchor: "top" });
      if (named > 4) { layout.height = (layout.height || 380) + Math.ceil(named / 2) * 20; }
    }
    data.forEach(function (d) {
      if (d.type === "heatmap" && d.texttemplate && d.x) {
        var cell = (width - 120) / d.x.length;
        if (cell < 64) { d.texttemplate = ""; }  /* unreadable: hover and the table instead */
      }
    });
    spec.layout = layout;
    return spec;
  }
  function drawAll() {
    var divs = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < divs.length; i++) {
      var div = divs[i];
      var holder = document.getElementById(div.getAttribute("data-figure"));
      if (!holder) { continue; }
      var spec = fit(div, JSON.parse(holder.textContent));
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
