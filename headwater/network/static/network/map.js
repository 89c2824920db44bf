// The network map (管网地图): the current model drawn from its own coordinates with ECharts on
// a hidden cartesian x/y pair kept at equal scale (no tiles), pan and zoom on both axes, a side
// panel with the details of what was clicked, and a pipe's burst analysis drawn over the map.
// Data: the geometry API (compact arrays); words: the json_script block "map-config".
// Clicks are picked here, by distance in screen pixels, rather than by ECharts' hit tests:
// pipes are one large `lines` series whose 1-px strokes are too thin to hit by hand.
// Tooltips are off (ECharts' HTML tooltip carries style attributes, which the CSP refuses).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var configBlock = document.getElementById("map-config");
  var box = document.getElementById("network-map");
  if (!configBlock || !box || typeof echarts === "undefined") return;
  var cfg = JSON.parse(configBlock.textContent);
  var L = cfg.labels, S = L.series, F = L.fields, W = L.words;
  var statusLine = document.getElementById("map-status");
  var detail = document.getElementById("map-detail");
  var burstBox = document.getElementById("map-burst");
  var hint = document.getElementById("map-hint");
  var openForm = document.getElementById("map-open-form");
  var GRID = {left: 6, right: 6, top: 34, bottom: 6};
  var COLOURS = {
    pipe: "#5b7083", main: "#1f4e79", junction: "#7a8a99", tank: "#0d9488", reservoir: "#0b5ed7",
    valve: "#495057", fed: "#198754", at_risk: "#fd7e14", cut: "#dc3545", order: "#d63384",
    segment: "#dc3545", unintended: "#6f42c1", close: "#111111", hydraulic: "#fd7e14",
    selected: "#0dcaf0"
  };
  var MAIN_DN = 300;
  var chart, geo, index = {}, shown = {}, bounds;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function say(text) { statusLine.textContent = text; }
  function fmt(v, digits) {
    if (v === null || v === undefined || v === "") return "—";
    return typeof v === "number" ? String(Math.round(v * Math.pow(10, digits || 0)) / Math.pow(10, digits || 0)) : String(v);
  }
  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- geometry -----------------------------------------------------------------------------
  function build(data) {
    geo = data;
    index.nodes = {};
    data.nodes.forEach(function (n) { index.nodes[n[0]] = n; });
    index.links = {};
    index.coords = {};
    var xs = [], ys = [];
    data.nodes.forEach(function (n) { if (n[2] !== null && n[3] !== null) { xs.push(n[2]); ys.push(n[3]); } });
    data.links.forEach(function (l) {
      index.links[l[0]] = l;
      var a = index.nodes[l[2]], b = index.nodes[l[3]];
      if (!a || !b || a[2] === null || b[2] === null) return;
      var coords = [[a[2], a[3]]].concat(l[5] || [], [[b[2], b[3]]]);
      index.coords[l[0]] = coords;
    });
    index.valves = {};
    data.valves.forEach(function (v) { index.valves[v[1] + "\u0000" + v[2]] = v[0]; });
    bounds = {
      x0: Math.min.apply(null, xs), x1: Math.max.apply(null, xs),
      y0: Math.min.apply(null, ys), y1: Math.max.apply(null, ys)
    };
  }

  // Equal scale on both axes: the data's box widened along one axis to the grid's proportions.
  function ranges() {
    var w = Math.max(box.clientWidth - GRID.left - GRID.right, 10);
    var h = Math.max(box.clientHeight - GRID.top - GRID.bottom, 10);
    var dx = Math.max(bounds.x1 - bounds.x0, 1e-6), dy = Math.max(bounds.y1 - bounds.y0, 1e-6);
    var scale = Math.max(dx / w, dy / h) * 1.04;
    var cx = (bounds.x0 + bounds.x1) / 2, cy = (bounds.y0 + bounds.y1) / 2;
    return {
      x: [cx - scale * w / 2, cx + scale * w / 2],
      y: [cy - scale * h / 2, cy + scale * h / 2]
    };
  }

  // Where a valve is drawn: a tenth of the way along its link from its node (as the engine).
  function valvePoint(link, node) {
    var coords = index.coords[link], n = index.nodes[node];
    if (!n || n[2] === null) return null;
    if (!coords) return [n[2], n[3]];
    var atStart = coords[0][0] === n[2] && coords[0][1] === n[3];
    var next = atStart ? coords[1] : coords[coords.length - 2];
    return [n[2] + (next[0] - n[2]) * 0.1, n[3] + (next[1] - n[3]) * 0.1];
  }

  function orderPoint(o) {
    if (o.x !== null && o.y !== null) return [o.x, o.y];
    var n = index.nodes[o.node];
    if (n && n[2] !== null) return [n[2], n[3]];
    var c = index.coords[o.link];
    if (c) return [(c[0][0] + c[c.length - 1][0]) / 2, (c[0][1] + c[c.length - 1][1]) / 2];
    return null;
  }

  function customerPoint(c) {
    if (c.x !== null && c.y !== null) return [c.x, c.y];
    var n = index.nodes[(c.nodes || [])[0]];
    return n && n[2] !== null ? [n[2], n[3]] : null;
  }

  // The layers that can be clicked, in the order a click looks through them: each item keeps
  // its point and what the panel shows for it.
  function layers() {
    var junctions = [], tanks = [], reservoirs = [];
    geo.nodes.forEach(function (n) {
      if (n[2] === null) return;
      var list = n[1] === "tank" ? tanks : n[1] === "reservoir" ? reservoirs : junctions;
      list.push({p: [n[2], n[3]], what: "node", ref: n});
    });
    var valves = [];
    geo.valves.forEach(function (v) {
      var p = valvePoint(v[1], v[2]);
      if (p) valves.push({p: p, what: "valve", ref: v});
    });
    var customers = [];
    geo.customers.forEach(function (c) {
      var p = customerPoint(c);
      if (p) customers.push({p: p, what: "customer", ref: c});
    });
    var orders = [];
    geo.work_orders.forEach(function (o) {
      var p = orderPoint(o);
      if (p) orders.push({p: p, what: "order", ref: o});
    });
    return {
      orders: orders, customers: customers, tanks: tanks, reservoirs: reservoirs,
      valves: valves, junctions: junctions
    };
  }

  function pipesData(main) {
    var out = [];
    geo.links.forEach(function (l) {
      var coords = index.coords[l[0]];
      if (!coords || (l[4] >= MAIN_DN) !== main) return;
      out.push({coords: coords});
    });
    return out;
  }

  function baseSeries() {
    var lay = index.layers;
    function points(list) { return list.map(function (i) { return i.p; }); }
    return [
      {id: "pipes", name: S.pipes, type: "lines", coordinateSystem: "cartesian2d", polyline: true,
        large: true, largeThreshold: 500, silent: true, data: pipesData(false), z: 1,
        lineStyle: {color: COLOURS.pipe, width: 1, opacity: 0.9}},
      {id: "mains", name: S.pipes, type: "lines", coordinateSystem: "cartesian2d", polyline: true,
        large: true, largeThreshold: 500, silent: true, data: pipesData(true), z: 2,
        lineStyle: {color: COLOURS.main, width: 2.2, opacity: 0.9}},
      {id: "junctions", name: S.junctions, type: "scatter", large: true, largeThreshold: 500,
        silent: true, symbolSize: 2.5, itemStyle: {color: COLOURS.junction}, data: points(lay.junctions), z: 3},
      {id: "valves", name: S.valves, type: "scatter", large: true, largeThreshold: 500, silent: true,
        symbol: "diamond", symbolSize: 5, itemStyle: {color: COLOURS.valve}, data: points(lay.valves), z: 4},
      {id: "tanks", name: S.tanks, type: "scatter", silent: true, symbol: "rect", symbolSize: 11,
        itemStyle: {color: COLOURS.tank, borderColor: "#fff", borderWidth: 1}, data: points(lay.tanks), z: 5},
      {id: "reservoirs", name: S.reservoirs, type: "scatter", silent: true, symbol: "triangle", symbolSize: 14,
        itemStyle: {color: COLOURS.reservoir, borderColor: "#fff", borderWidth: 1}, data: points(lay.reservoirs), z: 5},
      {id: "customers", name: S.customers, type: "scatter", silent: true, symbol: "pin", symbolSize: 22, z: 7,
        itemStyle: {color: COLOURS.fed},
        data: lay.customers.map(function (i) {
          return {value: i.p, itemStyle: {color: COLOURS[i.ref.state] || COLOURS.fed}};
        }),
        label: {show: lay.customers.length <= 60, position: "right", fontSize: 11, color: "#333",
          formatter: function (p) { return lay.customers[p.dataIndex].ref.name; }}},
      {id: "orders", name: S.orders, type: "scatter", silent: true, symbol: "emptyCircle", symbolSize: 18, z: 8,
        itemStyle: {color: COLOURS.order, borderWidth: 3}, data: points(lay.orders)},
      {id: "selected", type: "lines", coordinateSystem: "cartesian2d", polyline: true, silent: true,
        data: [], z: 9, lineStyle: {color: COLOURS.selected, width: 5, opacity: 0.9}},
      {id: "selected-node", type: "scatter", silent: true, data: [], z: 9, symbolSize: 16,
        itemStyle: {color: "rgba(0,0,0,0)", borderColor: COLOURS.selected, borderWidth: 3}}
    ];
  }

  var BASE_LEGEND = ["pipes", "junctions", "tanks", "reservoirs", "valves", "customers", "orders"];
  var BURST_LEGEND = ["segment", "cut", "unintended", "close", "hydraulic", "affected"];

  function legendNames(withBurst) {
    var keys = BASE_LEGEND.concat(withBurst ? BURST_LEGEND : []);
    return keys.map(function (k) { return S[k]; });
  }

  function draw(data) {
    build(data);
    if (!isFinite(bounds.x0)) { say(W.no_coordinates); return; }
    index.layers = layers();
    chart = echarts.init(box, null, {renderer: "canvas"});
    var r = ranges();
    shown = {};
    shown[S.valves] = false;
    var drawnOnce = false;
    chart.on("finished", function () {
      if (drawnOnce) return;
      drawnOnce = true;
      var ms = Math.round(performance.now());
      box.setAttribute("data-drawn-ms", String(ms));
      say(W.drawn.replace("%(links)s", data.links.length).replace("%(nodes)s", data.nodes.length)
        .replace("%(ms)s", ms));
    });
    chart.setOption({
      animation: false,
      grid: GRID,
      legend: {type: "scroll", top: 4, left: 8, right: 8, data: legendNames(false), selected: shown, itemWidth: 14, itemHeight: 10, textStyle: {fontSize: 11}},
      xAxis: {type: "value", show: false, min: r.x[0], max: r.x[1], splitLine: {show: false}},
      yAxis: {type: "value", show: false, min: r.y[0], max: r.y[1], splitLine: {show: false}},
      dataZoom: [
        {type: "inside", xAxisIndex: 0, filterMode: "none", zoomOnMouseWheel: true, moveOnMouseMove: true},
        {type: "inside", yAxisIndex: 0, filterMode: "none", zoomOnMouseWheel: true, moveOnMouseMove: true}
      ],
      series: baseSeries()
    });
    chart.on("legendselectchanged", function (e) { shown = e.selected; });
    chart.getZr().on("click", function (e) { pick(e.offsetX, e.offsetY); });
    window.addEventListener("resize", function () {
      chart.resize();
      var rr = ranges();
      chart.setOption({xAxis: {min: rr.x[0], max: rr.x[1]}, yAxis: {min: rr.y[0], max: rr.y[1]}});
    });
    box.mapChart = chart;  // for the browser test: chart.convertToPixel on a pipe's point
  }

  // --- picking ------------------------------------------------------------------------------
  function visible(name) { return shown[name] !== false; }

  function pick(px, py) {
    if (!chart.containPixel("grid", [px, py])) return;
    var toPx = function (p) { return chart.convertToPixel({gridIndex: 0}, p); };
    var lay = index.layers;
    // Marked symbols first; then a junction or a pipe, whichever is nearer (a junction
    // sits at the end of pipes: it wins only when the click is close to it).
    var order = [
      ["orders", S.orders, 12], ["customers", S.customers, 13], ["tanks", S.tanks, 9],
      ["reservoirs", S.reservoirs, 10], ["valves", S.valves, 5]
    ];
    for (var i = 0; i < order.length; i++) {
      if (!visible(order[i][1])) continue;
      var hit = nearestPoint(lay[order[i][0]], px, py, order[i][2], toPx);
      if (hit) return show(hit.item);
    }
    var junction = visible(S.junctions) ? nearestPoint(lay.junctions, px, py, 5, toPx) : null;
    var link = visible(S.pipes) ? nearestLink(px, py, 7) : null;
    if (junction && (!link || junction.d <= link.d + 4)) return show(junction.item);
    if (link) show({what: "link", ref: link.item});
  }

  function nearestPoint(list, px, py, radius, toPx) {
    var best = null, bestD = radius * radius;
    list.forEach(function (item) {
      var q = toPx(item.p);
      var d = (q[0] - px) * (q[0] - px) + (q[1] - py) * (q[1] - py);
      if (d <= bestD) { bestD = d; best = item; }
    });
    return best && {item: best, d: Math.sqrt(bestD)};
  }

  // The pipe nearest the click in screen pixels (the axes' scale is linear: two conversions
  // give it, and every bend is then measured without converting each point).
  function nearestLink(px, py, radius) {
    var o = chart.convertToPixel({gridIndex: 0}, [0, 0]);
    var u = chart.convertToPixel({gridIndex: 0}, [1, 1]);
    var sx = u[0] - o[0], sy = u[1] - o[1];
    var best = null, bestD = radius * radius;
    geo.links.forEach(function (l) {
      var c = index.coords[l[0]];
      if (!c) return;
      for (var k = 0; k + 1 < c.length; k++) {
        var ax = o[0] + c[k][0] * sx, ay = o[1] + c[k][1] * sy;
        var bx = o[0] + c[k + 1][0] * sx, by = o[1] + c[k + 1][1] * sy;
        var d = segmentDistance(px, py, ax, ay, bx, by);
        if (d < bestD) { bestD = d; best = l; }
      }
    });
    return best && {item: best, d: Math.sqrt(bestD)};
  }

  function segmentDistance(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
    var t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
    var qx = ax + t * dx - px, qy = ay + t * dy - py;
    return qx * qx + qy * qy;
  }

  // --- the side panel -----------------------------------------------------------------------
  function rows(pairs, wide) {
    var dl = el("dl", {"class": "row nw-dl mb-2"});
    pairs.forEach(function (pair) {
      dl.appendChild(el("dt", {"class": wide ? "col-7" : "col-5", text: pair[0]}));
      dl.appendChild(el("dd", {"class": (wide ? "col-5" : "col-7") + " mb-1", text: pair[1], "data-testid": "detail-" + pair[2]}));
    });
    return dl;
  }

  function highlight(item) {
    var lines = [], nodes = [];
    if (item.what === "link" && index.coords[item.ref[0]]) lines.push({coords: index.coords[item.ref[0]]});
    if (item.p) nodes.push(item.p);
    chart.setOption({series: [{id: "selected", data: lines}, {id: "selected-node", data: nodes}]});
  }

  function show(item) {
    hint.classList.add("d-none");
    detail.textContent = "";
    highlight(item);
    var r = item.ref, title, pairs = [], actions = [];
    if (item.what === "link") {
      title = (L.link_kinds[r[1]] || r[1]) + " " + r[0];
      pairs = [[F.id, r[0], "id"], [F.dn, r[4] ? "DN" + fmt(r[4]) : "—", "dn"], [F.length, fmt(r[6], 1), "length"],
        [F.material, r[7] || "—", "material"], [F.status, L.link_status[r[8]] || r[8], "status"],
        [F.start, r[2], "start"], [F.end, r[3], "end"]];
      if (r[1] === "pipe") {
        var button = el("button", {"class": "btn btn-sm btn-danger", type: "button", "data-testid": "analyse", text: W.analyse});
        button.addEventListener("click", function () { analyse(r[0], button); });
        actions.push(button);
      }
    } else if (item.what === "node") {
      title = (L.node_kinds[r[1]] || r[1]) + " " + r[0];
      pairs = [[F.id, r[0], "id"], [F.kind, L.node_kinds[r[1]] || r[1], "kind"],
        [F.elevation, fmt(r[4], 2), "elevation"], [F.demand, fmt(r[5], 3), "demand"]];
    } else if (item.what === "valve") {
      title = S.valves + " " + r[0];
      pairs = [[F.id, r[0], "id"], [F.link, r[1], "link"], [F.node, r[2], "node"]];
    } else if (item.what === "customer") {
      title = r.name;
      pairs = [[F.kind, r.kind_label, "kind"], [F.state, L.states[r.state] || r.state, "state"],
        [F.duty_phone, r.duty_phone || "—", "duty_phone"], [F.contact, r.contact || "—", "contact"],
        [F.contact_phone, r.contact_phone || "—", "contact_phone"], [F.nodes, (r.nodes || []).join("、") || "—", "nodes"],
        [F.feeds, fmt(r.feeds), "feeds"], [F.min_pressure, fmt(r.min_pressure, 1), "min_pressure"]];
    } else if (item.what === "order") {
      title = r.number;
      pairs = [[F.title, r.title, "title"], [F.kind, r.kind_label, "kind"], [F.state, r.state_label, "state"],
        [F.link, r.link || "—", "link"], [F.node, r.node || "—", "node"]];
      actions.push(el("a", {"class": "btn btn-sm btn-outline-primary", href: cfg.order_page.replace("/0/", "/" + r.id + "/"), text: W.order}));
    }
    detail.appendChild(el("h2", {"class": "h6", text: title, "data-testid": "detail-title"}));
    detail.appendChild(rows(pairs));
    if (actions.length) detail.appendChild(el("div", {"class": "d-flex flex-wrap gap-2 mb-2"}, actions));
  }

  // --- a burst's analysis drawn over the map ------------------------------------------------
  function analyse(pipe, button) {
    button.disabled = true;
    button.textContent = W.analysing;
    burstBox.textContent = "";
    var url = cfg.burst + "?pipe=" + encodeURIComponent(pipe) + "&hydraulic=true";
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (res) {
        button.disabled = false;
        button.textContent = W.analyse;
        if (!res.ok) {
          burstBox.appendChild(el("div", {"class": "alert alert-danger py-1 px-2", "data-testid": "burst-error",
            text: W.failed + ": " + ((res.body.error || {}).message || "")}));
          return;
        }
        overlay(res.body);
        summary(res.body);
      })
      .catch(function () {
        button.disabled = false;
        button.textContent = W.analyse;
        burstBox.appendChild(el("div", {"class": "alert alert-danger py-1 px-2", "data-testid": "burst-error", text: W.failed}));
      });
  }

  function nodePoints(ids) {
    var out = [];
    (ids || []).forEach(function (id) {
      var n = index.nodes[typeof id === "object" ? (id.node || id.id) : id];
      if (n && n[2] !== null) out.push([n[2], n[3]]);
    });
    return out;
  }

  function overlay(b) {
    var unintended = {};
    (b.unintended_nodes || []).forEach(function (n) { unintended[n] = true; });
    var segmentNodes = (b.cut_nodes || []).filter(function (n) { return !unintended[n]; });
    var segmentLinks = ((b.segment || {}).links || []).filter(function (l) { return index.coords[l]; })
      .map(function (l) { return {coords: index.coords[l]}; });
    var h = b.hydraulic || {};
    var affected = [];
    (b.critical || []).forEach(function (c) {
      var cust = geo.customers.filter(function (g) { return g.id === c.id; })[0];
      var p = cust && customerPoint(cust);
      if (p) affected.push({value: p, name: c.name, itemStyle: {color: c.effect === "low" ? COLOURS.hydraulic : COLOURS.cut}});
    });
    var valves = (b.valves || []).map(function (v) {
      return v.x !== null && v.x !== undefined ? [v.x, v.y] : valvePoint(v.link, v.node);
    }).filter(Boolean);
    var series = [
      {id: "b-segment", name: S.segment, type: "lines", coordinateSystem: "cartesian2d", polyline: true, silent: true,
        z: 10, data: segmentLinks, lineStyle: {color: COLOURS.segment, width: 5, opacity: 0.85}},
      {id: "b-cut", name: S.cut, type: "scatter", silent: true, z: 11, symbolSize: 7,
        itemStyle: {color: COLOURS.segment}, data: nodePoints(segmentNodes)},
      {id: "b-unintended", name: S.unintended, type: "scatter", silent: true, z: 11, symbolSize: 7,
        itemStyle: {color: COLOURS.unintended}, data: nodePoints(b.unintended_nodes)},
      {id: "b-hydraulic", name: S.hydraulic, type: "scatter", silent: true, z: 10, symbolSize: 6,
        itemStyle: {color: COLOURS.hydraulic}, data: nodePoints((h.lost || []).concat(h.low || []))},
      {id: "b-close", name: S.close, type: "scatter", silent: true, z: 12, symbol: "diamond", symbolSize: 13,
        itemStyle: {color: COLOURS.close, borderColor: "#fff", borderWidth: 1.5}, data: valves},
      {id: "b-affected", name: S.affected, type: "scatter", silent: true, z: 13, symbol: "pin", symbolSize: 30,
        itemStyle: {color: COLOURS.cut},
        data: affected, label: {show: true, position: "right", fontWeight: "bold", fontSize: 12,
          formatter: function (p) { return p.name; }}}
    ];
    chart.setOption({legend: {data: legendNames(true)}, series: series});
    box.setAttribute("data-burst", b.pipe);
  }

  function summary(b) {
    burstBox.textContent = "";
    var h = b.hydraulic;
    var valveIds = (b.valves || []).map(function (v) { return index.valves[v.link + "\u0000" + v.node] || (v.link + "@" + v.node); });
    burstBox.appendChild(el("h2", {"class": "h6 mt-2 border-top pt-2", text: W.analyse + " · " + b.pipe}));
    burstBox.appendChild(el("div", {"class": "fw-semibold", text: W.valves + "（" + valveIds.length + "）"}));
    burstBox.appendChild(el("div", {"class": "mb-2", "data-testid": "detail-valves"}, valveIds.length ? valveIds.map(function (id) {
      return el("span", {"class": "badge text-bg-dark me-1", text: id});
    }) : [el("span", {"class": "text-muted", text: W.none})]));
    burstBox.appendChild(rows([
      [W.cut_nodes, (b.cut_nodes || []).length + "（" + W.unintended + " " + (b.unintended_nodes || []).length + "）", "cut"],
      [W.demand, fmt(b.demand, 2), "demand"],
      [W.population, fmt(b.population), "population"],
      [W.lost, h ? String((h.lost || []).length) : "—", "lost"],
      [W.low, h ? String((h.low || []).length) : "—", "low"]
    ], true));
    var list = el("ul", {"class": "list-unstyled nw-list mb-2", "data-testid": "burst-critical"});
    (b.critical || []).forEach(function (c) {
      list.appendChild(el("li", {"class": "mb-1"}, [
        el("span", {"class": "badge " + (c.effect === "low" ? "text-bg-warning" : "text-bg-danger"), text: W.effects[c.effect] || c.effect}),
        el("span", {text: " " + c.name + " · " + (c.duty_phone || c.contact_phone || "")})
      ]));
    });
    burstBox.appendChild(el("div", {"class": "fw-semibold", text: W.critical + "（" + (b.critical || []).length + "）"}));
    burstBox.appendChild(list);
    var secs = b.seconds || {};
    var total = (secs.topology || 0) + (secs.hydraulic || 0);
    burstBox.appendChild(el("div", {"class": "text-muted mb-2", text: W.seconds.replace("%(s)s", total.toFixed(2))}));
    var links = el("div", {"class": "d-flex flex-wrap gap-2"}, [
      el("a", {"class": "btn btn-sm btn-outline-secondary", href: cfg.burst_page + "?pipe=" + encodeURIComponent(b.pipe), "data-testid": "print-list", text: W.print})
    ]);
    var clear = el("button", {"class": "btn btn-sm btn-outline-secondary", type: "button", text: W.clear});
    clear.addEventListener("click", clearBurst);
    links.appendChild(clear);
    burstBox.appendChild(links);
    if (openForm) {
      document.getElementById("map-open-pipe").value = b.pipe;
      document.getElementById("map-open-key").value = randomKey();
      openForm.classList.remove("d-none");
    }
  }

  function clearBurst() {
    burstBox.textContent = "";
    if (openForm) openForm.classList.add("d-none");
    chart.setOption({legend: {data: legendNames(false)}, series: baseSeries()}, {replaceMerge: ["series"]});
    box.removeAttribute("data-burst");
  }

  say(statusLine.textContent);
  fetch(cfg.geometry, {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
    .then(function (res) {
      if (!res.ok) { say(((res.body || {}).error || {}).message || W.failed); return; }
      draw(res.body);
    })
    .catch(function (e) { say(W.failed + ": " + e); });
});
