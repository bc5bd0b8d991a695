// Draws each dashboard chart from the JSON data block beside it (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var palette = ["#154273", "#e17000", "#39870c", "#a90061", "#007bc7", "#5c3300"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, i) {
      var colour = palette[i % palette.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 2,
        fill: false,
        tension: 0.2
      };
    });
    canvas.dataset.rendered = "true";
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // Ticks and tooltips in the page's language: 1.234,5 in Dutch, 1,234.5 in English.
        locale: document.documentElement.lang || undefined,
        scales: { y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
