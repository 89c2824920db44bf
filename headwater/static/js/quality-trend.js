// The water-quality trend chart for one point and indicator, from the json_script block
// "chart-data": approved results (failures in red) against the limits, and analyzer readings.
// The tooltip is drawn on the canvas (richText): ECharts' HTML tooltip carries style
// attributes, which the Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var lines = [];
  if (data.minimum !== null) lines.push({name: data.labels.minimum, yAxis: data.minimum});
  if (data.maximum !== null) lines.push({name: data.labels.maximum, yAxis: data.maximum});
  var series = [{
    name: data.labels.results, type: "line", data: data.results, color: "#0b5e8e", symbolSize: 7,
    itemStyle: {color: function (p) { return p.data.fail ? "#dc3545" : "#0b5e8e"; }},
    markLine: {symbol: "none", silent: true, lineStyle: {color: "#dc3545", type: "dashed"},
               label: {position: "insideEndTop", formatter: "{b} {c}"}, data: lines}
  }];
  if (data.readings.length) {
    series.push({name: data.labels.readings, type: "line", data: data.readings, color: "#6c9a3b",
                 showSymbol: false, lineStyle: {width: 1}, sampling: "lttb"});
  }
  var chart = echarts.init(document.getElementById("trend-chart"));
  chart.setOption({
    animationDuration: 300,
    tooltip: {trigger: "axis", renderMode: "richText"},
    legend: {top: 4, left: "center"},
    grid: {left: 56, right: 48, top: 40, bottom: 56},
    xAxis: {type: "time"},
    yAxis: {type: "value", name: data.labels.unit, scale: true},
    dataZoom: [{type: "inside"}, {type: "slider", height: 18, bottom: 8}],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
