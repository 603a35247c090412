// Line charts of a training run, drawn with plotly.js. Only GanLab.Web.Interop.PlotlyCharts calls this.
// plotly.min.js is a classic script (it sets window.Plotly), so it is loaded once, on first use,
// from wwwroot/lib next to this module: pages without a trainer never download it.

let plotlyLoaded;

function loadPlotly() {
  plotlyLoaded ??= new Promise((resolve, reject) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement('script');
    script.src = new URL('../lib/plotly/plotly.min.js', import.meta.url).href;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => {
      plotlyLoaded = undefined;
      reject(new Error('plotly.js is missing: run the setup script to fill wwwroot/lib/plotly.'));
    };
    document.head.appendChild(script);
  });
  return plotlyLoaded;
}

export async function newPlot(element, spec) {
  const Plotly = await loadPlotly();
  const data = spec.traces.map(trace => ({
    x: [], y: [], name: trace.name, type: 'scatter', mode: 'lines',
    line: { width: 1.5, dash: trace.dash ?? 'solid' },
  }));
  const layout = {
    title: { text: spec.title, font: { size: 14 } },
    margin: { l: 50, r: 10, t: 36, b: 80 },
    xaxis: { title: { text: spec.xTitle, standoff: 4 } },
    yaxis: { title: { text: spec.yTitle }, range: spec.yRange ?? undefined, autorange: spec.yRange ? false : true },
    legend: { orientation: 'h', x: 0, y: -0.32, yanchor: 'top' },
    height: 300,
  };
  await Plotly.newPlot(element, data, layout, { responsive: true, displaylogo: false });
}

// One call per UI flush: every chart of the trainer gets its new points at once.
export async function extendTraces(extensions, maxPoints) {
  const Plotly = await loadPlotly();
  for (const { element, x, y } of extensions) {
    if (!element || !element.data || x.length === 0) continue;
    const indices = y.map((_, i) => i);
    Plotly.extendTraces(element, { x: y.map(() => x), y }, indices, maxPoints);
  }
}

export function purge(element) {
  if (window.Plotly && element) window.Plotly.purge(element);
}
