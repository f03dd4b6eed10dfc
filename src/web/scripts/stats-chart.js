// Progressive enhancement of a statistics table: draws each canvas[data-chart] with chart.js from
// the figures the page carries in the attribute (no inline script: the CSP forbids it). The table
// beside it carries the same figures for readers without JavaScript or a screen.
// data-chart: { type: 'bar' | 'line', stacked?: boolean, labels: [...],
//               datasets: [{ label, data: [...], color, stack? }], money?: { locale } }
(function () {
  if (typeof window.Chart === 'undefined') return;
  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var i = 0; i < canvases.length; i++) {
    var canvas = canvases[i];
    var d = JSON.parse(canvas.getAttribute('data-chart'));
    var tick = d.money
      ? new Intl.NumberFormat(d.money.locale, { style: 'currency', currency: 'EUR' }).format
      : undefined;
    canvas.hidden = false;
    new window.Chart(canvas, {
      type: d.type || 'bar',
      data: {
        labels: d.labels,
        datasets: d.datasets.map(function (s) {
          return {
            label: s.label,
            data: s.data,
            stack: s.stack,
            backgroundColor: s.color,
            borderColor: s.color,
          };
        }),
      },
      options: {
        responsive: true,
        animation: false,
        scales: {
          x: { stacked: !!d.stacked },
          y: {
            stacked: !!d.stacked,
            beginAtZero: true,
            ticks: tick ? { callback: tick } : { precision: 0 },
          },
        },
      },
    });
  }
})();
