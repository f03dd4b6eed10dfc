// Progressive enhancement: draws the weekly chart from the JSON next to it; the table below it
// carries the same figures for readers without JavaScript or a screen.
(function () {
  var el = document.getElementById('weekly-data');
  var canvas = document.getElementById('weekly-chart');
  if (!el || !canvas || typeof Chart === 'undefined') return;
  var d = JSON.parse(el.textContent);
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: d.weeks,
      datasets: [
        { label: d.labels.opened, data: d.opened, backgroundColor: '#1d70b8' },
        { label: d.labels.closed, data: d.closed, backgroundColor: '#00703c' },
      ],
    },
    options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
