/*
 * Copyright 2026 The ganeti-dashboard Authors
 *
 *    Licensed under the Apache License, Version 2.0 (the "License"); you may
 *    not use this file except in compliance with the License. You may obtain
 *    a copy of the License at
 *
 *         http://www.apache.org/licenses/LICENSE-2.0
 *
 *    Unless required by applicable law or agreed to in writing, software
 *    distributed under the License is distributed on an "AS IS" BASIS,
 *    WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or
 *    implied. See the License for the specific language governing
 *    permissions and limitations under the License.
 */

/*
 * The History tabs (content/history.py): once the tab is shown, asks its
 * JSON for the chosen range (Hour by default), draws each graph's series
 * as SVG paths over the whole range (a gap where Prometheus has no
 * points), and asks again every step while the tab stays open. The
 * graphs are drawn like the Live tab's (_live.html): a 300×80 box, the
 * line scaled to the highest value. Everything the server sent is set as
 * text (textContent, setAttribute), never parsed as HTML.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e"];
  var L = window.ganetiLive;  // live.js
  var format = L.format;

  function human(value, unit) {
    if (value === null || value === undefined) { return "-"; }
    if (unit === "percent") { return value.toFixed(1) + " %"; }
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (Math.abs(value) >= 1024 && i < units.length - 1) {
      value /= 1024;
      i += 1;
    }
    return value.toFixed(i ? 1 : 0) + " " + units[i] + (unit === "rate" ? "/s" : "");
  }

  function start(root) {
    if (root.getAttribute("data-started")) { return; }
    root.setAttribute("data-started", "on");
    if (!root.getAttribute("data-configured")) { return; }
    var url = root.getAttribute("data-history-url");
    var texts = root.querySelector(".ganeti-history-texts").dataset;
    var buttons = root.querySelectorAll(".ganeti-history-ranges [data-range]");
    var chosen = "hour";
    var timer = null;
    var asked = 0;

    var show = L.show;

    function draw(graph, found, range) {
      var svg = graph.querySelector("svg");
      var unit = graph.getAttribute("data-unit");
      svg.querySelectorAll("path, circle").forEach(function (p) { p.remove(); });
      show(graph.querySelector(".ganeti-history-graph-error"), found.error);
      var series = found.series || [];
      var top = unit === "percent" ? 100 : 0, count = 0, last = null;
      series.forEach(function (s) {
        s.points.forEach(function (p) { top = Math.max(top, p[1]); });
      });
      top = top || 1;
      var span = Math.max(1, (found.end || 0) - (found.start || 0));
      series.forEach(function (s, index) {
        var d = [], previous = null;
        s.points.forEach(function (p) {
          var x = 300 * (p[0] - found.start) / span;
          var y = 78 - 76 * p[1] / top;
          // More than two steps without a point: a gap, not a line.
          var jump = previous === null || p[0] - previous > 2 * found.step;
          d.push((jump ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1));
          previous = p[0];
        });
        count += s.points.length;
        if (s.points.length) { last = s.points[s.points.length - 1][1]; }
        if (!d.length) { return; }
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", d.join(" "));
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", COLOURS[index % COLOURS.length]);
        path.setAttribute("stroke-width", "1.5");
        path.setAttribute("vector-effect", "non-scaling-stroke");
        svg.appendChild(path);
        // The newest point as a dot: a single point draws no line.
        var end = d[d.length - 1].slice(1).split(",");
        var dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", end[0]);
        dot.setAttribute("cy", end[1]);
        dot.setAttribute("r", "1.5");
        dot.setAttribute("fill", COLOURS[index % COLOURS.length]);
        svg.appendChild(dot);
      });
      svg.setAttribute("data-count", String(count));
      svg.setAttribute("data-range", range);
      graph.querySelector(".ganeti-history-value").textContent = human(last, unit);
      var note = graph.querySelector(".ganeti-history-range");
      if (found.error) {
        note.textContent = "";
      } else if (!count) {
        note.textContent = texts.empty;
      } else {
        note.textContent = format(count === 1 ? texts.rangeOne : texts.range, {
          count: count,
          start: new Date(found.start * 1000).toLocaleString(),
          end: new Date(found.end * 1000).toLocaleString(),
          top: human(top, unit)});
      }
      if (found.more) {
        note.textContent += " " + format(texts.more, {count: found.more});
      }
    }

    function update(data, range) {
      root.querySelector(".ganeti-history-waiting").hidden = true;
      show(root.querySelector(".ganeti-history-error"),
           data.error ? format(texts.failed, {error: data.error}) : "");
      show(root.querySelector(".ganeti-history-notice"), data.notice);
      root.querySelectorAll(".ganeti-history-graph").forEach(function (graph) {
        var found = (data.graphs || {})[graph.getAttribute("data-graph")];
        draw(graph, found || {}, range);
      });
    }

    function ask() {
      window.clearTimeout(timer);
      if (!document.body.contains(root)) { return; }  // the tab went away
      var range = chosen, mine = ++asked;
      var button = root.querySelector('[data-range="' + range + '"]');
      var step = Math.max(15, Number(button.getAttribute("data-step")) || 15);
      if (document.hidden || root.offsetParent === null) {
        timer = window.setTimeout(ask, 2000);  // not shown: ask later
        return;
      }
      L.getJson(url + "?range=" + encodeURIComponent(range), texts.unreachable)
        .then(function (data) {
          if (mine !== asked) { return; }  // another range was chosen since
          update(data, range);
          timer = window.setTimeout(ask, step * 1000);
        });
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        chosen = button.getAttribute("data-range");
        buttons.forEach(function (b) {
          var on = b === button;
          b.classList.toggle("active", on);
          b.setAttribute("aria-pressed", on ? "true" : "false");
        });
        root.querySelector(".ganeti-history-waiting").hidden = false;
        ask();
      });
    });
    ask();
  }

  // Asked only once the tab is shown (the detail page opens on another
  // tab, or on this one), as the cluster map is.
  L.whenShown(".ganeti-history", start);
}());
