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
    x: [], y: [], name: trace.name, type: 'scatter', mode: spec.markers ? 'lines+markers' : 'lines',
    line: { width: 1.5, dash: trace.dash ?? 'solid' }, marker: { size: 4 },
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

// ---- toy GANs: whole figures redrawn with Plotly.react (it diffs, and keeps the user's zoom by uirevision) ----

const real = '#2e7d32', fake = '#7b1fa2', push = '#d81b60';

// Point after point (x0, y0, x1, …) as plotly's x and y arrays.
function xy(points) {
  const x = [], y = [];
  for (let i = 0; i + 1 < points.length; i += 2) { x.push(points[i]); y.push(points[i + 1]); }
  return { x, y };
}

// Many polylines as one trace: null between them breaks the line.
function polylines(lines) {
  const x = [], y = [];
  for (const line of lines) {
    for (const [px, py] of line) { x.push(px); y.push(py); }
    x.push(null); y.push(null);
  }
  return { x, y };
}

function manifoldLines(points, side) {
  const count = points.length / 2;
  const at = i => [points[2 * i], points[2 * i + 1]];
  if (count === side) return [Array.from({ length: side }, (_, i) => at(i))]; // a 1-D z: one curve
  const lines = [];
  for (let r = 0; r < side; r++) lines.push(Array.from({ length: side }, (_, c) => at(r * side + c)));
  for (let c = 0; c < side; c++) lines.push(Array.from({ length: side }, (_, r) => at(r * side + c)));
  return lines;
}

export async function drawToy(element, frame) {
  const Plotly = await loadPlotly();
  const data = [];
  const dx = (frame.xMax - frame.xMin) / frame.heatmapSide, dy = (frame.yMax - frame.yMin) / frame.heatmapSide;
  if (frame.heatmap) {
    const z = [];
    for (let r = 0; r < frame.heatmapSide; r++) z.push(frame.heatmap.slice(r * frame.heatmapSide, (r + 1) * frame.heatmapSide));
    data.push({
      type: 'heatmap', z, x0: frame.xMin + dx / 2, dx, y0: frame.yMin + dy / 2, dy, name: 'D(x)',
      zmin: frame.heatmapIsProbability ? 0 : undefined, zmax: frame.heatmapIsProbability ? 1 : undefined,
      colorscale: [[0, '#c9a7e8'], [0.5, '#ffffff'], [1, '#9fd3a2']], showscale: true,
      colorbar: { title: { text: frame.heatmapIsProbability ? 'D(x)' : 'D raw' }, thickness: 10, len: 0.6 },
      hovertemplate: 'D = %{z:.2f}<extra></extra>',
    });
  }
  if (frame.manifold) {
    data.push({ type: 'scatter', mode: 'lines', name: 'warped manifold G(z grid)', hoverinfo: 'skip',
      line: { color: 'rgba(80,80,80,0.45)', width: 1 }, ...polylines(manifoldLines(frame.manifold, frame.manifoldSide)) });
  }
  if (frame.real) data.push({ type: 'scatter', mode: 'markers', name: 'real x', marker: { size: 4, color: real }, hoverinfo: 'skip', ...xy(frame.real) });
  if (frame.fake) data.push({ type: 'scatter', mode: 'markers', name: 'fake G(z)', marker: { size: 4, color: fake }, hoverinfo: 'skip', ...xy(frame.fake) });
  if (frame.arrows) {
    const lines = [];
    for (let i = 0; i + 3 < frame.arrows.length; i += 4) lines.push([[frame.arrows[i], frame.arrows[i + 1]], [frame.arrows[i + 2], frame.arrows[i + 3]]]);
    data.push({ type: 'scatter', mode: 'lines', name: "G's gradient", hoverinfo: 'skip', line: { color: push, width: 1 }, ...polylines(lines) });
  }
  const layout = {
    margin: { l: 40, r: 10, t: 10, b: 30 }, height: 440, uirevision: 'toy',
    xaxis: { range: [frame.xMin, frame.xMax], constrain: 'domain', zeroline: false },
    yaxis: { range: [frame.yMin, frame.yMax], scaleanchor: 'x', zeroline: false },
    legend: { orientation: 'h', x: 0, y: -0.08, yanchor: 'top' },
  };
  await Plotly.react(element, data, layout, { responsive: true, displaylogo: false });
}

export async function drawCurves(element, figure) {
  const Plotly = await loadPlotly();
  const data = figure.curves.map(curve => ({
    type: 'scatter', mode: 'lines', name: curve.name, x: curve.x, y: curve.y,
    line: { width: 2, dash: curve.dash ?? 'solid' }, yaxis: curve.rightAxis ? 'y2' : 'y',
  }));
  const shapes = (figure.markersX ?? []).map(x => ({
    type: 'line', x0: x, x1: x, yref: 'paper', y0: 0, y1: 1, line: { color: push, width: 2, dash: 'dot' },
  }));
  const annotations = (figure.markersX ?? []).map(x => ({
    x, y: 1, yref: 'paper', text: figure.markerLabel ?? '', showarrow: false, yanchor: 'bottom', font: { color: push, size: 11 },
  }));
  const layout = {
    title: { text: figure.title, font: { size: 14 } },
    margin: { l: 50, r: figure.y2Title ? 50 : 10, t: 36, b: 80 }, height: 320, uirevision: 'curves',
    xaxis: { title: { text: figure.xTitle, standoff: 4 } },
    yaxis: { title: { text: figure.yTitle }, range: figure.yRange ?? undefined, autorange: figure.yRange ? false : true },
    legend: { orientation: 'h', x: 0, y: -0.32, yanchor: 'top' },
    shapes, annotations,
  };
  if (figure.y2Title) {
    // tickmode auto: plotly otherwise lines the second axis' ticks up with the first's (0.05, 0.39, 0.74 for 0–1).
    layout.yaxis2 = { title: { text: figure.y2Title }, overlaying: 'y', side: 'right', tickmode: 'auto',
      range: figure.y2Range ?? undefined, autorange: figure.y2Range ? false : true };
  }
  await Plotly.react(element, data, layout, { responsive: true, displaylogo: false });
}
