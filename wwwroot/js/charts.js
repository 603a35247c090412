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
  // newPlot drops every listener (Plotly purges the element), so a synchronised chart must be synced again.
  element._ganlabSynced = false;
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
  const touched = new Set(extensions.map(e => e.element?._ganlabGroup).filter(g => g));
  for (const group of touched) await fitSteps(Plotly, group);
}

// Charts of one comparison share their step axis: the same x range for all (the longest run's, so
// equal steps line up), zooming one zooms all, and hovering a step shows that step in every chart.
const groups = new Map();

export async function syncCharts(name, elements) {
  const Plotly = await loadPlotly();
  let group = groups.get(name);
  if (!group) {
    group = { name, elements: new Set(), zoom: null, busy: false };
    groups.set(name, group);
  }
  for (const element of elements) {
    if (!element || !element.on || element._ganlabSynced) continue;
    element._ganlabSynced = true;
    element._ganlabGroup = group;
    group.elements.add(element);
    await Plotly.relayout(element, { hovermode: 'x unified', 'xaxis.showspikes': true, 'xaxis.spikemode': 'across' });
    element.on('plotly_relayout', event => onRelayout(Plotly, group, element, event));
    element.on('plotly_hover', event => onHover(Plotly, group, element, event));
    element.on('plotly_unhover', () => {
      if (group.busy) return;
      for (const other of others(group, element)) Plotly.Fx.unhover(other);
    });
  }
  await fitSteps(Plotly, group);
}

function others(group, element) {
  return [...group.elements].filter(other => other !== element && other.data);
}

// Our own relayouts raise plotly_relayout too; busy keeps them from echoing round the group.
async function relayoutAll(Plotly, group, elements, update) {
  group.busy = true;
  try {
    await Promise.all(elements.map(element => Plotly.relayout(element, update)));
  } finally {
    group.busy = false;
  }
}

async function fitSteps(Plotly, group) {
  if (group.zoom || group.busy) return;
  let first = Infinity, last = -Infinity;
  for (const element of group.elements) {
    for (const trace of element.data ?? []) {
      if (trace.x.length === 0) continue;
      first = Math.min(first, trace.x[0]);
      last = Math.max(last, trace.x[trace.x.length - 1]);
    }
  }
  if (!(last > first)) return;
  await relayoutAll(Plotly, group, [...group.elements].filter(e => e.data), { 'xaxis.range': [first, last], 'xaxis.autorange': false });
}

async function onRelayout(Plotly, group, element, event) {
  if (group.busy) return;
  if (event['xaxis.autorange']) {
    group.zoom = null;
    await fitSteps(Plotly, group);
    return;
  }
  const range = event['xaxis.range'] ?? (('xaxis.range[0]' in event) ? [event['xaxis.range[0]'], event['xaxis.range[1]']] : null);
  if (!range) return;
  group.zoom = range;
  await relayoutAll(Plotly, group, others(group, element), { 'xaxis.range': range, 'xaxis.autorange': false });
}

function onHover(Plotly, group, element, event) {
  if (group.busy || !event.points?.length) return;
  const step = event.points[0].x;
  for (const other of others(group, element)) {
    try {
      // noHoverEvent: the others must not echo the hover back.
      Plotly.Fx.hover(other, { xval: step }, 'xy', true);
    } catch {
      // A chart being redrawn has no hover layer yet; the next hover finds it.
    }
  }
}

export function purge(element) {
  if (element?._ganlabGroup) {
    const group = element._ganlabGroup;
    group.elements.delete(element);
    if (group.elements.size === 0) groups.delete(group.name);
    element._ganlabGroup = undefined;
  }
  if (window.Plotly && element) window.Plotly.purge(element);
}
