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
 *    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 *    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 *    License for the specific language governing permissions and limitations
 *    under the License.
 */

/*
 * What the dashboard's graphs that fill in the page share (the Live tabs
 * of nodes, clusters and instances, the project overview's live table,
 * the History tabs and the cluster map): window.ganetiLive. Everything a
 * server sent is set as text (textContent), never as HTML.
 */
(function (global) {
  "use strict";

  // "%(name)s" of a translated text filled in from ``values`` ("%%" is
  // a "%", as in the Python texts they come from).
  function format(template, values) {
    return String(template).replace(/%%|%\((\w+)\)s/g, function (m, key) {
      return key === undefined ? "%" : String(values[key]);
    });
  }

  // ``text`` in ``element``, which is hidden while there is none.
  function show(element, text) {
    element.textContent = text || "";
    element.hidden = !text;
  }

  // A point [time, value] added to ``points`` (oldest first), unless it
  // is missing or not newer than the last; ``keep`` points at most.
  function push(points, time, value, keep) {
    if (time === null || time === undefined || value === null || value === undefined) { return; }
    if (points.length && points[points.length - 1][0] >= time) { return; }
    points.push([time, value]);
    while (points.length > keep) { points.shift(); }
  }

  // Draws ``points`` in ``graph`` (an element holding an <svg> 300 x 80
  // with a <polyline>, a .ganeti-live-value and a .ganeti-live-range),
  // the newest at the right, scaled to ``ceiling`` or the highest point;
  // ``label`` is the value shown, ``rangeText`` the translated "%(count)s
  // points since %(time)s".
  function line(graph, points, ceiling, keep, label, rangeText) {
    var svg = graph.querySelector("svg");
    svg.setAttribute("data-count", String(points.length));
    var top = ceiling || 0;
    points.forEach(function (p) { top = Math.max(top, p[1]); });
    top = top || 1;
    var step = keep > 1 ? 300 / (keep - 1) : 300;
    var offset = 300 - step * (points.length - 1);
    svg.querySelector("polyline").setAttribute("points", points.map(function (p, i) {
      return (offset + i * step).toFixed(1) + "," + (78 - 76 * p[1] / top).toFixed(1);
    }).join(" "));
    var value = graph.querySelector(".ganeti-live-value");
    if (points.length) {
      value.setAttribute("data-value", String(points[points.length - 1][1]));
      graph.querySelector(".ganeti-live-range").textContent = format(rangeText, {
        count: points.length, time: new Date(points[0][0] * 1000).toLocaleTimeString()});
    }
    value.textContent = label;
  }

  // What a live root (data-live-url, data-interval in seconds,
  // data-points, its .ganeti-live-texts) says, the first time it is
  // started; null after: Horizon may run a tab's script again.
  function begin(root) {
    if (root.getAttribute("data-started")) { return null; }
    root.setAttribute("data-started", "on");
    return {url: root.getAttribute("data-live-url"),
            interval: Math.max(2, Number(root.getAttribute("data-interval")) || 5) * 1000,
            keep: Number(root.getAttribute("data-points")) || 120,
            texts: root.querySelector(".ganeti-live-texts").dataset};
  }

  // GET ``url`` as JSON (the dashboard's own, with the session); a page
  // that is no JSON, or no answer, is {error: unreachable}.
  function getJson(url, unreachable) {
    return fetch(url, {credentials: "same-origin", cache: "no-store",
                       headers: {"Accept": "application/json",
                                 "X-Requested-With": "XMLHttpRequest"}})
      .then(function (answer) {
        return answer.json().catch(function () { return {error: unreachable}; });
      }, function () { return {error: unreachable}; });
  }

  // Asks ``url`` every ``interval`` ms while ``root`` is in the page
  // (not while the browser hides it) and gives each answer to
  // ``update``. An answer whose figures are old (``update`` returns
  // true) is being read again behind it: asked again soon, at most a
  // few times in a row, so that figures that stay old (a cluster that
  // does not answer) are asked once per interval.
  function poll(root, url, interval, update, unreachable) {
    var quick = 0;
    function again() {
      if (!document.body.contains(root)) { return; }  // the tab went away
      if (document.hidden) { global.setTimeout(again, interval); return; }
      getJson(url, unreachable)
        .then(update)
        .catch(function () { return false; })
        .then(function (stale) {
          quick = stale ? quick + 1 : 0;
          global.setTimeout(again, stale && quick <= 3 ? Math.min(interval, 1500) : interval);
        });
    }
    again();
  }

  // Calls ``start(root)`` for each element of ``selector`` once it is
  // shown: a detail page opens on another tab, or on this one.
  function whenShown(selector, start) {
    function look() {
      document.querySelectorAll(selector).forEach(function (root) {
        if (root.offsetParent !== null) { start(root); }
      });
    }
    if (global.jQuery) {
      global.jQuery(document).on("shown.bs.tab", look);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", look);
    } else {
      look();
    }
  }

  global.ganetiLive = {format: format, show: show, push: push, line: line,
                       begin: begin, getJson: getJson, poll: poll,
                       whenShown: whenShown};
}(window));
