// The health overview's 14-day chart: completion rate (line) and abnormal people (bars), from
// the json_script block "trend-data". The tooltip is drawn on the canvas (richText): ECharts'
// HTML tooltip carries style attributes, which the Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var chart = echarts.init(document.getElementById("trend-chart"));
  chart.setOption({
    animationDuration: 300,
    tooltip: {trigger: "axis", renderMode: "richText"},
    legend: {top: 4, left: "center", data: [data.labels.rate, data.labels.abnormal]},
    grid: {left: 48, right: 48, top: 40, bottom: 28},
    xAxis: {type: "category", data: data.dates},
    yAxis: [
      {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
      {type: "value", minInterval: 1, splitLine: {show: false}}
    ],
    series: [
      {name: data.labels.rate, type: "line", yAxisIndex: 0, data: data.rate, color: "#0b5e8e", symbolSize: 6},
      {name: data.labels.abnormal, type: "bar", yAxisIndex: 1, data: data.abnormal, color: "#dc3545", barMaxWidth: 18}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
