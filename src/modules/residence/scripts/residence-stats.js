// Progressive enhancement of the residence statistics table: draws a bar chart from the data the
// page carries in data-chart (no inline script: the CSP forbids it). The table stays for no-JS.
(function () {
  var canvas = document.querySelector('canvas[data-chart]');
  if (!canvas || typeof window.Chart === 'undefined') return;
  var d = JSON.parse(canvas.getAttribute('data-chart'));
  canvas.hidden = false;
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: d.labels,
      datasets: [
        { label: d.registeredLabel, data: d.registered, backgroundColor: '#1d70b8' },
        { label: d.annulledLabel, data: d.annulled, backgroundColor: '#d4351c' },
      ],
    },
    options: {
      responsive: true,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
