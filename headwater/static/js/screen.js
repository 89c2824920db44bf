// The command dashboard (大屏): fetches the panels from the endpoint in #screen's
// data-endpoint every data-refresh seconds and draws each by its kind (figures, bars, pie,
// list, map, level — headwater/core/screen.py documents their data), so a capability adds
// panels without touching this file. A failed fetch keeps the last panels and marks them
// stale. Tooltips are drawn on the canvas (richText): ECharts' HTML tooltips carry style
// attributes, which the Content-Security-Policy refuses.
(function () {
  "use strict";
  var COLOURS = {
    success: "#36d399", warning: "#fbbd23", danger: "#ff5c5c", info: "#3abff8",
    primary: "#5b8cff", secondary: "#8a9bb4", orange: "#ff9f43"
  };
  var TEXT = "#d8e6ff", MUTED = "#8fa6c8", FONT = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  var root, grid, labels, charts = {}, drawn = {}, seen = {}, loaded = false, timer = null;
  // Panels beyond one screen go on further screens (each panel's "page"): one shows at a
  // time and the next comes every data-page-seconds.
  var page = 0, pages = 1, pager = null;

  function colour(token) { return COLOURS[token] || COLOURS.primary; }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = new Date(), lang = document.documentElement.lang || "zh-Hans";
    document.getElementById("scr-date").textContent = now.toLocaleDateString(
      lang, {year: "numeric", month: "long", day: "numeric", weekday: "long"});
    document.getElementById("scr-clock").textContent =
      pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  }

  // One <section> per panel, kept across refreshes (its chart with it).
  function box(panel) {
    var id = "panel-" + panel.key.replace(/[^\w-]/g, "-");
    var section = document.getElementById(id);
    if (!section) {
      section = el("section", "scr-panel");
      section.id = id;
      section.setAttribute("data-testid", "panel");
      section.setAttribute("data-key", panel.key);
      section.setAttribute("data-page", "0");
      var head = el("header", "scr-panel-head");
      head.appendChild(el("h2", "scr-panel-title"));
      head.appendChild(el("span", "scr-panel-note"));
      section.appendChild(head);
      section.appendChild(el("div", "scr-panel-body scr-kind-" + panel.kind));
    }
    section.className = "scr-panel scr-size-" + panel.size + " scr-panel-" + panel.kind;
    section.setAttribute("data-page", String(panel.page || 0));
    section.querySelector(".scr-panel-title").textContent = panel.title;
    section.querySelector(".scr-panel-note").textContent = panel.note || "";
    return section;
  }

  function chartOf(panel, body) {
    if (!charts[panel.key]) charts[panel.key] = echarts.init(body, null, {renderer: "canvas"});
    return charts[panel.key];
  }

  var draw = {
    figures: function (panel, body) {
      body.textContent = "";
      var data = panel.data;
      data.items.forEach(function (item) {
        var fig = el("div", "scr-fig scr-c-" + item.colour);
        fig.setAttribute("data-testid", "figure-" + item.key);
        fig.appendChild(el("div", "scr-fig-label", item.label));
        var value = el("div", "scr-fig-value", item.text);
        if (item.unit && item.text !== "—") value.appendChild(el("small", "scr-fig-unit", item.unit));
        fig.appendChild(value);
        if (item.previous_text) {
          var prev = el("div", "scr-fig-prev", (data.previous_label || "") + " " + item.previous_text);
          if (item.change) {
            var good = item.better ? item.change === item.better : null;
            var arrow = el("span", "scr-arrow " + (good === null ? "" : good ? "scr-good" : "scr-bad"),
                           item.change === "up" ? "▲" : "▼");
            prev.appendChild(arrow);
          }
          fig.appendChild(prev);
        }
        body.appendChild(fig);
      });
    },

    level: function (panel, body) {
      body.textContent = "";
      var badge = el("div", "scr-level scr-level-" + panel.data.colour, panel.data.label);
      // the response level's badge; another capability's badge (the leader on duty) has its own
      badge.setAttribute("data-testid", panel.key === "core.level" ? "level" : "badge-" + panel.key);
      body.appendChild(badge);
      if (panel.data.since) body.appendChild(el("div", "scr-level-since", panel.data.since));
      if (panel.data.note) body.appendChild(el("div", "scr-level-note", panel.data.note));
    },

    list: function (panel, body) {
      body.textContent = "";
      var data = panel.data;
      if (!data.items.length) {
        body.appendChild(el("p", "scr-empty", data.empty));
      } else {
        var list = el("ol", "scr-list");
        data.items.forEach(function (item) {
          var row = el("li", "scr-row scr-c-" + item.colour + (item.muted ? " scr-muted" : "") +
                       (item.time ? "" : " scr-row-plain"));
          var key = panel.key + ":" + item.id;
          if (loaded && !seen[key]) row.classList.add("scr-new");
          seen[key] = true;
          if (item.time) row.appendChild(el("span", "scr-row-time", item.time));
          row.appendChild(el("span", "scr-row-text", item.text));
          if (item.note) row.appendChild(el("span", "scr-row-note", item.note));
          list.appendChild(row);
        });
        body.appendChild(list);
      }
      var more = el("p", "scr-more");
      body.appendChild(more);
      // Rows that do not fit the panel are left out and counted, never cut in half.
      var hidden = data.more || 0;
      more.textContent = hidden ? format(labels.more, {n: hidden}) : "";
      var rows = body.querySelectorAll(".scr-row");
      for (var i = rows.length - 1; i > 0 && body.scrollHeight > body.clientHeight + 1; i--) {
        rows[i].remove();
        hidden += 1;
        more.textContent = format(labels.more, {n: hidden});
      }
    },

    bars: function (panel, body) {
      var items = panel.data.items.slice().reverse(); // the worst at the top
      chartOf(panel, body).setOption({
        animationDuration: 500,
        textStyle: {fontFamily: FONT},
        grid: {left: 8, right: 150, top: 6, bottom: 6, containLabel: true},
        xAxis: {type: "value", max: panel.data.max || null, show: false},
        yAxis: {
          type: "category", data: items.map(function (i) { return i.label; }),
          axisLine: {show: false}, axisTick: {show: false},
          axisLabel: {color: TEXT, fontSize: 17}
        },
        series: [{
          type: "bar", barMaxWidth: 22, showBackground: true,
          backgroundStyle: {color: "rgba(91, 140, 255, 0.08)", borderRadius: 4},
          itemStyle: {borderRadius: 4},
          label: {show: true, position: "right", color: TEXT, fontSize: 16,
                  formatter: function (p) { return items[p.dataIndex].text; }},
          data: items.map(function (i) { return {value: i.value, itemStyle: {color: colour(i.colour)}}; })
        }]
      }, {replaceMerge: ["series"]});
    },

    pie: function (panel, body) {
      var items = panel.data.items;
      var total = items.reduce(function (sum, i) { return sum + i.value; }, 0);
      chartOf(panel, body).setOption({
        animationDuration: 500,
        textStyle: {fontFamily: FONT},
        tooltip: {renderMode: "richText", formatter: "{b}: {c} ({d}%)"},
        title: {text: total.toLocaleString("en-US"), left: "center", top: "middle",
                textStyle: {color: TEXT, fontSize: 26, fontWeight: "bold"}},
        series: [{
          type: "pie", radius: ["48%", "70%"], center: ["50%", "52%"], minAngle: 4,
          avoidLabelOverlap: true, itemStyle: {borderColor: "#0b1a30", borderWidth: 2},
          label: {color: TEXT, fontSize: 17, formatter: function (p) {
            return p.name + "\n" + p.value.toLocaleString("en-US");
          }},
          labelLine: {length: 10, length2: 10},
          data: items.map(function (i) {
            return {name: i.label, value: i.value, itemStyle: {color: colour(i.colour)}};
          })
        }]
      }, {replaceMerge: ["series"]});
    },

    map: function (panel, body) {
      var data = panel.data, name = "hw-" + panel.key;
      if (data.outline) echarts.registerMap(name, data.outline);
      var series = data.groups.map(function (g) {
        var points = data.points.filter(function (p) { return p.group === g.key; });
        return {
          name: g.label, type: points.some(function (p) { return p.label; }) ? "effectScatter" : "scatter",
          coordinateSystem: "geo", symbolSize: 13, zlevel: 1,
          rippleEffect: {scale: 3, brushType: "stroke"},
          itemStyle: {color: colour(g.colour), shadowBlur: 8, shadowColor: colour(g.colour)},
          label: {show: true, position: "right", color: TEXT, fontSize: 16,
                  formatter: function (p) { return p.data.label ? p.name : ""; }},
          labelLayout: {hideOverlap: true},
          data: points.map(function (p) { return {name: p.name, value: [p.lng, p.lat], label: p.label}; })
        };
      });
      chartOf(panel, body).setOption({
        textStyle: {fontFamily: FONT},
        tooltip: {renderMode: "richText", trigger: "item", formatter: "{b}"},
        legend: {bottom: 4, textStyle: {color: TEXT, fontSize: 15}, itemWidth: 12, itemHeight: 12},
        geo: {
          map: name, roam: false, top: 16, bottom: 44, silent: true,
          itemStyle: {areaColor: "rgba(40, 110, 200, 0.16)", borderColor: "#3a8ee6", borderWidth: 2,
                      shadowColor: "rgba(58, 142, 230, 0.6)", shadowBlur: 18}
        },
        series: series
      }, {replaceMerge: ["series"]});
    }
  };

  function render(payload) {
    var keep = {};
    payload.panels.forEach(function (panel) {
      var section = box(panel);
      keep[section.id] = true;
      grid.appendChild(section); // in the payload's order
      var fingerprint = JSON.stringify([panel.data, panel.size]);
      if (drawn[panel.key] === fingerprint) return;
      drawn[panel.key] = fingerprint;
      (draw[panel.kind] || draw.list)(panel, section.querySelector(".scr-panel-body"));
    });
    Array.prototype.slice.call(grid.children).forEach(function (section) {
      if (keep[section.id]) return;
      var key = section.getAttribute("data-key");
      if (charts[key]) { charts[key].dispose(); delete charts[key]; }
      delete drawn[key];
      grid.removeChild(section);
    });
    pages = Math.max(parseInt(payload.pages, 10) || 1, 1);
    if (page >= pages) page = 0;
    show();
  }

  // Shows the current screen's panels only (a chart drawn while hidden is resized on show).
  function show() {
    Array.prototype.slice.call(grid.children).forEach(function (section) {
      section.hidden = section.getAttribute("data-page") !== String(page);
    });
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
    var marker = document.getElementById("scr-page");
    marker.hidden = pages < 2;
    marker.textContent = format(labels.page, {n: page + 1, count: pages});
    root.setAttribute("data-page", String(page));
    root.setAttribute("data-pages", String(pages));
  }

  function turn() {
    if (pages > 1) {
      page = (page + 1) % pages;
      show();
    }
  }

  function updated(payload) {
    var time = String(payload.generated_at).substr(11, 8);
    var label = document.getElementById("scr-updated");
    label.textContent = format(labels.updated, {time: time});
    root.setAttribute("data-generated-at", payload.generated_at);
    document.getElementById("scr-stale").hidden = true;
    root.classList.remove("scr-is-stale");
  }

  function stale() {
    var marker = document.getElementById("scr-stale");
    marker.textContent = labels.stale;
    marker.hidden = false;
    root.classList.add("scr-is-stale");
  }

  // The page is laid out for 1920×1080; other windows see it scaled whole, letterboxed.
  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    var left = (window.innerWidth - 1920 * scale) / 2, top = (window.innerHeight - 1080 * scale) / 2;
    root.style.transform = scale === 1 ? "" :
      "translate(" + left + "px, " + top + "px) scale(" + scale + ")";
  }

  function load() {
    var every = Math.max(parseInt(root.getAttribute("data-refresh"), 10) || 30, 5) * 1000;
    fetch(root.getAttribute("data-endpoint"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        render(payload);
        updated(payload);
        loaded = true;
        root.setAttribute("data-loads", String((parseInt(root.getAttribute("data-loads"), 10) || 0) + 1));
      })
      .catch(function () { stale(); })
      .then(function () {
        clearTimeout(timer);
        timer = setTimeout(load, every);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("screen");
    if (!root) return;
    grid = document.getElementById("scr-grid");
    labels = JSON.parse(document.getElementById("screen-labels").textContent);
    fit();
    tick();
    setInterval(tick, 1000);
    load();
    var every = Math.max(parseInt(root.getAttribute("data-page-seconds"), 10) || 15, 3) * 1000;
    pager = setInterval(turn, every);
    window.addEventListener("resize", function () {
      fit();
      Object.keys(charts).forEach(function (key) { charts[key].resize(); });
    });
  });
})();
