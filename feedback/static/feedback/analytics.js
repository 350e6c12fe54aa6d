// The analytics charts. Each <canvas data-chart="ID"> is drawn from the JSON in the
// <script type="application/json" id="ID"> beside it (Django's json_script), which
// feedback/analytics/charts.py writes from a result object: the figures are never
// computed here. Every chart has its data table under it, so this is an enhancement.
(() => {
  "use strict";
  if (!window.Chart) return;

  // Okabe–Ito: told apart with every common colour-vision deficiency. Yellow last,
  // it is faint on white.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"];
  const ACCENT = "#D55E00"; // the lagging channel's bar
  const CALM = "#0072B2";
  const INK = "#1d2521";

  const root = document.documentElement;
  const locale = root.lang || "en";
  const rtl = root.dir === "rtl";
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(locale);

  Chart.defaults.locale = locale;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = INK;

  const translucent = (hex, alpha) => {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  };
  const colour = (i) => PALETTE[i % PALETTE.length];

  // Period starts arrive as ISO dates; the browser names them in the page's language.
  const dateLabel = (iso, period) => {
    const [y, m, d] = iso.split("-").map(Number);
    const options = period === "month" ? { month: "short", year: "numeric" } : { day: "numeric", month: "short" };
    return new Intl.DateTimeFormat(locale, options).format(new Date(y, m - 1, d));
  };

  // Error bars: a whisker from low to high over each bar or point of a dataset that
  // has `fvLow` and `fvHigh` (across the bar when the bars lie horizontally).
  const whiskers = {
    id: "fvWhiskers",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const across = chart.options.indexAxis === "y";
      chart.data.datasets.forEach((dataset, index) => {
        if (!dataset.fvLow || !chart.isDatasetVisible(index)) return;
        const meta = chart.getDatasetMeta(index);
        const scale = chart.scales[across ? meta.xAxisID : meta.yAxisID];
        ctx.save();
        ctx.strokeStyle = INK;
        ctx.lineWidth = 1.5;
        meta.data.forEach((element, i) => {
          const low = dataset.fvLow[i];
          const high = dataset.fvHigh[i];
          if (low == null || high == null || element.skip) return;
          const a = scale.getPixelForValue(low);
          const b = scale.getPixelForValue(high);
          const thickness = (across ? element.height : element.width) || 12;
          const cap = Math.max(3, Math.min(8, thickness / 4));
          // Drawn along the value axis at the bar's middle: (value, position).
          const line = across
            ? (v1, p1, v2, p2) => { ctx.moveTo(v1, p1); ctx.lineTo(v2, p2); }
            : (v1, p1, v2, p2) => { ctx.moveTo(p1, v1); ctx.lineTo(p2, v2); };
          const at = across ? element.y : element.x;
          ctx.beginPath();
          line(a, at, b, at);
          line(a, at - cap, a, at + cap);
          line(b, at - cap, b, at + cap);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  const figureText = (spec, label, value, low, high, n) => {
    if (value == null) return `${label}: ${spec.text.not_enough}`;
    let text = `${label}: ${one.format(value)}${spec.unit}`;
    if (low != null && high != null) {
      text += ` (${spec.text.interval} ${one.format(low)}–${one.format(high)}`;
      text += n != null ? `; ${spec.text.responses}: ${whole.format(n)})` : ")";
    }
    return text;
  };

  // Lines with their interval as a band: per series a hidden "low" dataset, a "high"
  // one filled down to it, then the line. Missing figures are null: a gap.
  const lineData = (spec) => {
    const datasets = [];
    spec.series.forEach((series, i) => {
      const c = colour(i);
      const band = { fvBand: true, fvGroup: i, pointRadius: 0, pointHitRadius: 0, borderWidth: 0, spanGaps: false };
      datasets.push({ ...band, label: "", data: series.low, fill: false });
      datasets.push({ ...band, label: "", data: series.high, fill: "-1", backgroundColor: translucent(c, 0.14) });
      datasets.push({
        label: series.label,
        data: series.values,
        fvGroup: i,
        fvSeries: series,
        borderColor: c,
        backgroundColor: c,
        borderWidth: 2,
        pointRadius: 2.5,
        spanGaps: false,
      });
    });
    return datasets;
  };

  const barData = (spec) =>
    spec.series.map((series, i) => {
      let fill = colour(i);
      if (spec.highlight != null && spec.series.length === 1) {
        fill = series.values.map((_v, j) => (j === spec.highlight ? ACCENT : CALM));
      }
      return {
        label: series.label,
        data: series.values,
        fvSeries: series,
        fvLow: series.low || null,
        fvHigh: series.high || null,
        backgroundColor: fill,
        borderWidth: 0,
      };
    });

  const scatterData = (spec) =>
    spec.series.map((series, i) => ({
      label: series.label,
      data: series.points.map((p) => ({ x: p.x, y: p.y })),
      fvPoints: series.points,
      fvLow: series.points.map((p) => p.low),
      fvHigh: series.points.map((p) => p.high),
      backgroundColor: colour(i),
      borderColor: colour(i),
      pointRadius: 5,
      clip: false, // a team at 0% or 100% compliance is drawn whole
    }));

  // A line's or scatter's axis fits its intervals (whole tens), within the measure's range.
  const fittedRange = (spec) => {
    const all = (key) =>
      spec.series.flatMap((s) => (s.points ? s.points.map((p) => p[key]) : s[key]));
    const lows = all("low").filter((v) => v != null);
    const highs = all("high").filter((v) => v != null);
    if (!lows.length) return { min: spec.scale.min, max: spec.scale.max };
    return {
      min: Math.max(spec.scale.min, Math.floor(Math.min(...lows) / 10) * 10),
      max: Math.min(spec.scale.max, Math.ceil(Math.max(...highs) / 10) * 10),
    };
  };

  const tooltipLabel = (spec) => (context) => {
    const dataset = context.dataset;
    const i = context.dataIndex;
    if (dataset.fvPoints) {
      const p = dataset.fvPoints[i];
      return [figureText(spec, p.name, p.y, p.low, p.high, p.n), `${spec.text.x_title}: ${one.format(p.x)}%`];
    }
    const s = dataset.fvSeries;
    const pick = (list) => (list ? list[i] : null);
    return figureText(spec, s.label, pick(s.values), pick(s.low), pick(s.high), pick(s.n));
  };

  const configFor = (spec) => {
    const time = Boolean(spec.time);
    const labels = time ? spec.labels.map((iso) => dateLabel(iso, spec.period)) : spec.labels;
    const kind = spec.kind;
    const datasets = kind === "line" ? lineData(spec) : kind === "scatter" ? scatterData(spec) : barData(spec);
    const fitted = kind === "line" || kind === "scatter";
    const y = fitted ? fittedRange(spec) : { min: spec.scale.min, max: spec.scale.max };
    const tick = (value) => `${whole.format(value)}${spec.unit}`;
    const horizontal = kind === "bar" && Boolean(spec.horizontal);
    let scales = {
      x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 0 } },
      y: { position: rtl ? "right" : "left", min: y.min, max: y.max, ticks: { callback: tick } },
    };
    if (horizontal) {
      // Bars grow from the reading start: right to left in Arabic, the names beside them.
      scales = {
        x: { reverse: rtl, min: y.min, max: y.max, ticks: { callback: tick, maxRotation: 0 } },
        y: { position: rtl ? "right" : "left", ticks: { autoSkip: false, crossAlign: rtl ? "far" : "near" } },
      };
    }
    if (kind === "scatter") {
      scales.x = {
        type: "linear",
        reverse: rtl,
        min: 0,
        max: 100,
        title: { display: true, text: spec.text.x_title },
        ticks: { callback: (v) => `${whole.format(v)}%` },
      };
      scales.y.title = { display: true, text: spec.text.y_title };
    }
    const legendClick = (event, item, legend) => {
      // A series' band hides and shows with its line.
      const chart = legend.chart;
      const group = chart.data.datasets[item.datasetIndex].fvGroup;
      const visible = !chart.isDatasetVisible(item.datasetIndex);
      chart.data.datasets.forEach((dataset, index) => {
        if (dataset.fvGroup === group) chart.setDatasetVisibility(index, visible);
      });
      chart.update();
    };
    return {
      type: kind,
      data: { labels: kind === "scatter" ? undefined : labels, datasets },
      plugins: [whiskers],
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale,
        interaction: kind === "line" ? { mode: "index", intersect: false } : { mode: "nearest", intersect: true },
        scales,
        plugins: {
          legend: {
            display: spec.series.length > 1,
            position: "bottom",
            rtl,
            textDirection: rtl ? "rtl" : "ltr",
            labels: { boxWidth: 12, filter: (item, data) => !data.datasets[item.datasetIndex].fvBand },
            ...(kind === "line" ? { onClick: legendClick } : {}),
          },
          tooltip: {
            rtl,
            textDirection: rtl ? "rtl" : "ltr",
            filter: (item) => !item.dataset.fvBand,
            callbacks: { label: tooltipLabel(spec) },
          },
        },
      },
    };
  };

  // Horizontal bars need room for each category, whatever the screen.
  const BAR_ROOM = 22;
  const LINE_ROOM = 16;
  const fit = (canvas, spec) => {
    if (spec.kind !== "bar" || !spec.horizontal) return;
    // Each category gets room for its bars, or for its label's lines if they need more.
    const room = spec.labels.reduce((total, label) => {
      const lines = Array.isArray(label) ? label.length : 1;
      return total + Math.max(Math.max(1, spec.series.length) * BAR_ROOM, lines * LINE_ROOM + 8);
    }, 0);
    canvas.parentNode.style.blockSize = `${Math.max(160, room + 90)}px`;
  };

  const draw = () => {
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source || Chart.getChart(canvas)) return;
      const spec = JSON.parse(source.textContent);
      fit(canvas, spec);
      new Chart(canvas, configFor(spec));
    });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  // The dashboard's sections arrive after the page (htmx): their charts are drawn then.
  document.addEventListener("htmx:load", draw);
})();
