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
 * The Map tab of a cluster's detail page (content/admin/clusters/
 * map_view.py): asks the map's JSON once the tab is shown, draws node
 * groups, nodes and DRBD links as plain SVG, and lists a node's
 * instances a page at a time when asked. Everything the server sent is
 * set as text (textContent, setAttribute), never parsed as HTML. Colours
 * are Horizon's theme's: an element's class is text-success, -warning,
 * -danger, -muted or -info and its SVG paint is currentColor.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var NODE_W = 210, NODE_H = 104, GAP_X = 40, GAP_Y = 36;
  var GROUP_TITLE = 30, MARGIN = 12;
  var LEVEL_CLASS = {low: "text-success", medium: "text-warning",
                     high: "text-danger", unknown: "text-muted"};
  var WORSE = {unknown: 0, low: 1, medium: 2, high: 3};

  var L = window.ganetiLive;  // live.js
  var format = L.format;

  function svg(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    if (parent) { parent.appendChild(element); }
    return element;
  }

  function text(parent, x, y, value, attributes) {
    var element = svg("text", attributes || {}, parent);
    element.setAttribute("x", x);
    element.setAttribute("y", y);
    element.textContent = value;
    return element;
  }

  function title(parent, value) {
    svg("title", {}, parent).textContent = value;
  }

  function short(name, length) {
    return name.length > length ? name.slice(0, length - 1) + "…" : name;
  }

  function worst(node) {
    if (node.offline) { return "unknown"; }
    var a = node.memory.level, b = node.disk.level;
    return WORSE[a] >= WORSE[b] ? a : b;
  }

  function start(root) {
    if (root.getAttribute("data-started")) { return; }
    root.setAttribute("data-started", "on");
    var url = root.getAttribute("data-map-url");
    var texts = root.querySelector(".ganeti-map-texts").dataset;
    var drawing = root.querySelector(".ganeti-map-drawing");
    var list = root.querySelector(".ganeti-map-instances");
    var shownNode = null, shownPage = 1;
    var background = window.getComputedStyle(document.body).backgroundColor;
    if (!background || background === "rgba(0, 0, 0, 0)") {
      background = "white";
    }

    function show(selector, value) {
      L.show(root.querySelector(selector), value);
    }

    function ask(query) {
      return fetch(url + query, {
        credentials: "same-origin",
        headers: {"Accept": "application/json",
                  "X-Requested-With": "XMLHttpRequest"}
      }).then(function (answer) {
        return answer.json().catch(function () {
          return {error: format(texts.failed, {
            error: texts.unreachable + " (HTTP " + answer.status + ")"})};
        });
      }, function () {
        return {error: format(texts.failed, {error: texts.unreachable})};
      });
    }

    function bar(group, x, y, label, figure) {
      var level = figure.level || "unknown";
      var row = svg("g", {"class": "ganeti-map-bar " + LEVEL_CLASS[level],
                          "data-level": level}, group);
      text(row, x, y + 9, label, {"font-size": "11", "fill": "currentColor"});
      svg("rect", {x: x + 52, y: y, width: 100, height: 10,
                   fill: "none", stroke: "currentColor",
                   "stroke-width": "1"}, row);
      var pct = Math.max(figure.used || 0, figure.allocated || 0);
      svg("rect", {x: x + 52, y: y, width: pct, height: 10,
                   fill: "currentColor", "fill-opacity": "0.6"}, row);
      text(row, x + 158, y + 9,
           figure.used === null && figure.allocated === null
             ? "?" : pct + " %", {"font-size": "11", "fill": "currentColor"});
      title(row, format(texts.figure, {
        name: label,
        used: figure.used === null ? texts.unknown : figure.used,
        allocated: figure.allocated === null ? texts.unknown
                   : figure.allocated,
        total: figure.total === null ? texts.unknown : figure.total}));
    }

    function drawNode(layer, node, x, y) {
      var level = worst(node);
      var group = svg("g", {"class": "ganeti-map-node",
                            "data-node": node.name, "data-level": level,
                            transform: "translate(" + x + "," + y + ")"},
                      layer);
      // The page's own background under the tint: the lines between
      // nodes pass under a node, not through its text.
      svg("rect", {width: NODE_W, height: NODE_H, rx: 6, ry: 6,
                   fill: background}, group);
      svg("rect", {width: NODE_W, height: NODE_H, rx: 6, ry: 6,
                   "class": LEVEL_CLASS[level], fill: "currentColor",
                   "fill-opacity": "0.08", stroke: "currentColor",
                   "stroke-width": "2"}, group);
      var link = svg("a", {href: node.url,
                           "class": "ganeti-map-node-link text-primary"},
                     group);
      link.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href",
                          node.url);
      var name = text(link, 10, 20, short(node.name, 36),
                      {"font-weight": "bold", "font-size": "13",
                       fill: "currentColor"});
      if (node.name.length > 22) {
        // A long name is narrowed to the box, not cut.
        name.setAttribute("textLength", NODE_W - 20);
        name.setAttribute("lengthAdjust", "spacingAndGlyphs");
      }
      title(name, node.name);
      var flags = [node.role_label];
      if (node.offline) { flags.push(texts.offline); }
      if (node.drained && node.role !== "D") { flags.push(texts.drained); }
      text(group, 10, 36, flags.join(", "),
           {"font-size": "11", fill: "currentColor", "class": "text-muted"});
      var counts = text(group, 10, 52, format(texts.counts, node),
                        {"font-size": "11", fill: "currentColor",
                         "class": "ganeti-map-counts"});
      title(counts, format(texts.states, node));
      bar(group, 10, 60, texts.memory, node.memory);
      bar(group, 10, 74, texts.disk, node.disk);
      var expand = text(group, NODE_W - 10, NODE_H - 8, texts.expand,
                        {"text-anchor": "end", "font-size": "11",
                         fill: "currentColor",
                         "class": "ganeti-map-expand text-primary",
                         role: "button", tabindex: "0",
                         style: "cursor: pointer"});
      expand.addEventListener("click", function () { instances(node, 1); });
      expand.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          instances(node, 1);
        }
      });
      return group;
    }

    function draw(found) {
      show(".ganeti-map-waiting", "");
      if (found.error) {
        // The server's own sentence, which names the cluster and why.
        show(".ganeti-map-error", found.error);
        return;
      }
      show(".ganeti-map-notice", found.notice);
      show(".ganeti-map-summary", found.summary);
      var width = Math.max(drawing.clientWidth || 0, NODE_W + 2 * MARGIN);
      var columns = Math.max(1, Math.floor((width - 2 * MARGIN + GAP_X) /
                                           (NODE_W + GAP_X)));
      var centres = [], y = MARGIN, placed = [];
      found.groups.forEach(function (group) {
        placed.push({group: group, y: y});
        y += GROUP_TITLE;
        group.nodes.forEach(function (node, i) {
          var x = MARGIN + (i % columns) * (NODE_W + GAP_X);
          var top = y + Math.floor(i / columns) * (NODE_H + GAP_Y);
          centres.push({node: node, x: x, y: top});
        });
        y += Math.ceil(group.nodes.length / columns) * (NODE_H + GAP_Y) + 10;
      });
      var used = Math.min(columns, Math.max(1, centres.length));
      var picture = svg("svg", {
        "class": "ganeti-map-svg", role: "img",
        width: Math.max(width, MARGIN * 2 + used * (NODE_W + GAP_X)),
        height: y + MARGIN, "font-family": "inherit"});
      title(picture, found.summary || "");
      placed.forEach(function (item) {
        text(picture, MARGIN, item.y + 18,
             format(texts.group, {group: item.group.name}),
             {"font-size": "14", "font-weight": "bold",
              fill: "currentColor", "class": "ganeti-map-group"});
      });
      var links = svg("g", {"class": "ganeti-map-links text-info"}, picture);
      var most = Math.max.apply(null, [1].concat(found.links.map(
        function (l) { return l[2]; })));
      found.links.forEach(function (l) {
        var a = centres[l[0]], b = centres[l[1]];
        if (!a || !b) { return; }
        var ax = a.x + NODE_W / 2, ay = a.y + NODE_H / 2;
        var bx = b.x + NODE_W / 2, by = b.y + NODE_H / 2;
        // A curve, bowed sideways, so that a link between two nodes of
        // one row does not run through the nodes between them.
        var mx = (ax + bx) / 2 - (by - ay) * 0.2;
        var my = (ay + by) / 2 + (bx - ax) * 0.2 +
                 (ay === by ? NODE_H * 0.8 : 0);
        var path = svg("path", {
          d: "M" + ax + "," + ay + " Q" + mx + "," + my + " " + bx + "," + by,
          fill: "none", stroke: "currentColor", "stroke-opacity": "0.7",
          "stroke-width": 1.5 + 6 * Math.log(1 + l[2]) / Math.log(1 + most),
          "class": "ganeti-map-link",
          "data-a": a.node.name, "data-b": b.node.name,
          "data-count": l[2]}, links);
        title(path, format(texts.link, {count: l[2], a: a.node.name,
                                        b: b.node.name}));
      });
      var nodes = svg("g", {"class": "ganeti-map-nodes"}, picture);
      centres.forEach(function (c) { drawNode(nodes, c.node, c.x, c.y); });
      drawing.textContent = "";
      drawing.appendChild(picture);
    }

    function instances(node, page) {
      shownNode = node;
      shownPage = page;
      list.hidden = false;
      show(".ganeti-map-instances-title", format(texts.title,
                                                 {node: node.name}));
      show(".ganeti-map-instances-error", "");
      ask("?node=" + encodeURIComponent(node.name) + "&page=" + page)
        .then(function (found) {
          if (shownNode !== node || shownPage !== page) { return; }
          var body = list.querySelector("tbody");
          body.textContent = "";
          if (found.error) {
            show(".ganeti-map-instances-error", found.error);
            return;
          }
          shownPage = found.page;
          found.instances.forEach(function (instance) {
            var row = document.createElement("tr");
            row.setAttribute("data-instance", instance.name);
            var cell = document.createElement("td");
            var link = document.createElement("a");
            link.href = instance.url;
            link.textContent = instance.name;
            cell.appendChild(link);
            row.appendChild(cell);
            cell = document.createElement("td");
            cell.textContent = instance.role_label;
            row.appendChild(cell);
            cell = document.createElement("td");
            cell.textContent = instance.status_label;
            row.appendChild(cell);
            cell = document.createElement("td");
            instance.peers.forEach(function (peer, i) {
              if (i) { cell.appendChild(document.createTextNode(", ")); }
              var a = document.createElement("a");
              a.href = peer.url;
              a.textContent = peer.name;
              cell.appendChild(a);
            });
            row.appendChild(cell);
            body.appendChild(row);
          });
          if (!found.instances.length) {
            var empty = document.createElement("tr");
            var td = document.createElement("td");
            td.colSpan = 4;
            td.textContent = texts.none;
            empty.appendChild(td);
            body.appendChild(empty);
          }
          show(".ganeti-map-page", found.page_text);
          list.querySelector(".ganeti-map-previous").disabled =
            found.page <= 1;
          list.querySelector(".ganeti-map-next").disabled =
            found.page >= found.pages;
        });
    }

    list.querySelector(".ganeti-map-previous").addEventListener(
      "click", function () {
        if (shownNode) { instances(shownNode, shownPage - 1); }
      });
    list.querySelector(".ganeti-map-next").addEventListener(
      "click", function () {
        if (shownNode) { instances(shownNode, shownPage + 1); }
      });
    ask("").then(draw);
  }

  // The map is asked only once its tab is shown (the detail page opens
  // on another tab, or on this one).
  L.whenShown(".ganeti-map", start);
}());
