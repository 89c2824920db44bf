// A pressure point's last 24 hours, from the json_script block "pressure-chart-data": the
// readings as a line, the low and high thresholds as dashed mark lines. The tooltip is drawn
// on the canvas (richText): ECharts' HTML tooltip carries style attributes, which the
// Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("pressure-chart-data");
  var box = document.getElementById("pressure-chart");
  if (!source || !box) return;
  var data = JSON.parse(source.textContent);
  var lines = [];
  if (data.low !== null) lines.push({name: data.labels.low, yAxis: data.low, lineStyle: {color: "#dc3545"}});
  if (data.high !== null) lines.push({name: data.labels.high, yAxis: data.high, lineStyle: {color: "#fd7e14"}});
  var marks = [data.low, data.high].filter(function (v) { return v !== null; });
  function bound(pick, edge) {
    var value = pick.apply(null, marks.concat([edge]));
    var span = Math.abs(value) * 0.05 || 1;
    return Math.round((pick === Math.min ? value - span : value + span) * 10) / 10;
  }
  var chart = echarts.init(box);
  chart.setOption({
    animationDuration: 300,
    tooltip: {trigger: "axis", renderMode: "richText"},
    grid: {left: 56, right: 96, top: 32, bottom: 56},
    xAxis: {type: "time", min: data.from, max: data.to},
    // The thresholds stay in view even when every reading is far from them.
    yAxis: {type: "value", name: data.labels.unit, scale: true,
            min: function (v) { return bound(Math.min, v.min); },
            max: function (v) { return bound(Math.max, v.max); },
            axisLabel: {showMinLabel: false, showMaxLabel: false}},
    dataZoom: [{type: "inside"}, {type: "slider", height: 18, bottom: 8}],
    series: [{
      name: data.labels.series, type: "line", data: data.values, color: "#0b5e8e",
      showSymbol: false, sampling: "lttb",
      markLine: {symbol: "none", silent: true, lineStyle: {type: "dashed"},
                 label: {position: "end", formatter: "{b}\n{c}"}, data: lines}
    }]
  });
  box.dataset.points = String(data.values.length);
  window.addEventListener("resize", function () { chart.resize(); });
});
