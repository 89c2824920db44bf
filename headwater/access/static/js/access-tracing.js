// The contact-tracing graph: the traced person in the middle, level-1 contacts around, level-2
// contacts further out, links weighted by closeness; from the json_script block "trace-data".
// Tooltips are drawn on the canvas (richText): ECharts' HTML tooltip carries style attributes,
// which the Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("trace-data");
  var box = document.getElementById("trace-graph");
  if (!source || !box || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#dc3545", "#fd7e14", "#0b5e8e"];
  var sizes = [34, 22, 12];
  var nodes = data.nodes.map(function (n) {
    return {
      id: n.id, name: n.name, value: n.score, category: n.level,
      symbolSize: n.level === 0 ? sizes[0] : Math.min(sizes[n.level] + n.score, sizes[n.level] * 2),
      label: {show: n.level < 2 || data.nodes.length < 80}
    };
  });
  var chart = echarts.init(box);
  chart.setOption({
    animationDuration: 300,
    tooltip: {
      renderMode: "richText",
      formatter: function (p) {
        if (p.dataType === "edge") return data.labels.score + " " + p.data.value;
        var level = data.labels.levels[p.data.category] || "";
        return p.data.name + " · " + level + (p.data.category ? " · " + data.labels.score + " " + p.data.value : "");
      }
    },
    legend: {top: 4, data: data.labels.levels},
    color: colours,
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true,
      data: nodes, links: data.links,
      categories: data.labels.levels.map(function (name) { return {name: name}; }),
      force: {repulsion: 320, edgeLength: [70, 170], gravity: 0.06},
      label: {position: "right", fontSize: 11},
      lineStyle: {color: "source", opacity: 0.5, curveness: 0.1},
      emphasis: {focus: "adjacency"}
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
