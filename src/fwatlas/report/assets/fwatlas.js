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
    var below = layout.legend && layout.legend.orientation === "h" && layout.legend.y < 0;
    if (named && (width < 600 || named > 6 || below)) {
      /* below everything (the figure's bottom edge, not the plot's): the legend then never
         sits on rotated tick labels or the x-axis title, which keep their own margin */
      layout.legend = Object.assign({}, layout.legend || {},
        { orientation: "h", x: 0, xanchor: "left", xref: "container", y: 0, yanchor: "bottom",
          yref: "container" });
      var rows = Math.ceil(named / (width < 600 ? 2 : 6)) || 1;
      var margin2 = layout.margin = Object.assign({}, layout.margin || {});
      margin2.b = (margin2.b || 48) + rows * 20 + 8;
      layout.height = (layout.height || 380) + rows * 20 + 8;
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
      var drawn = Plotly.newPlot(div, spec.data || [], layout,
        { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] });
      drawn.then(refit).then(function (d) { d.setAttribute("data-fitted", "1"); });
    }
  }
  function boxes(nodes) {
    return Array.prototype.map.call(nodes, function (n) { return n.getBoundingClientRect(); });
  }
  function overlap(a, b) {
    return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 &&
      b.top < a.bottom - 1;
  }
  /* After the first draw, with the real plot size: a y-axis title longer than the plot is
     wrapped (it would run into the chart title), heatmap text Plotly shrank below 10 px is
     left to the hover and the table, and labels that still overlap (source breaks close
     together) are hidden – the dotted lines stay and the caption lists every break. */
  function refit(div) {
    var F = div._fullLayout, upd = {}, work = [];
    if (!F || !F._size) { return div; }
    ["yaxis", "yaxis2", "yaxis3"].forEach(function (k) {
      var ax = div.layout[k];
      if (!ax || !ax.title || !ax.title.text || !F[k] || !F[k].domain) { return; }
      var room = F._size.h * (F[k].domain[1] - F[k].domain[0]);
      var plain = String(ax.title.text).replace(/<br>/g, " ");
      var wrapped = wrap(plain, Math.max(12, Math.floor(room / 7.5)));
      if (wrapped !== ax.title.text) { upd[k + ".title.text"] = wrapped; }
    });
    var small = Array.prototype.some.call(div.querySelectorAll(".hm text"), function (t) {
      return parseFloat(getComputedStyle(t).fontSize) < 10;
    });
    if (small) {
      var idx = [];
      div.data.forEach(function (d, i) { if (d.type === "heatmap") { idx.push(i); } });
      work.push(Plotly.restyle(div, { texttemplate: "" }, idx));
    }
    var notes = div.layout.annotations || [];
    if (notes.length > 1) {
      var kept = boxes(div.querySelectorAll(".gtitle"));
      var shown = boxes(div.querySelectorAll(".annotation"));
      if (shown.length === notes.length) {
        shown.forEach(function (b, i) {
          if (kept.some(function (k) { return overlap(k, b); })) {
            upd["annotations[" + i + "].visible"] = false;
          } else { kept.push(b); }
        });
      }
    }
    if (Object.keys(upd).length) { work.push(Plotly.relayout(div, upd)); }
    return Promise.all(work).then(function () { return div; });
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
