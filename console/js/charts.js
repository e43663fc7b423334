// Small inline SVG charts (no library, no build step): a bar chart with a title, an accessible name and
// one <title> per bar, so screen readers and hover both give the exact numbers.

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

/**
 * A vertical bar chart. `bars`: [{ label, value, onSelect? }]; a bar with `onSelect` is a button (click or
 * Enter) - the chart's way to drill down.
 */
export function barChart(title, bars, { width = 640, height = 200, labelEvery = 1 } = {}) {
  const figure = document.createElement("figure");
  figure.className = "chart";
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  const top = Math.max(1, ...bars.map((b) => b.value || 0));
  const step = width / Math.max(1, bars.length);
  const plot = height - 34;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "bar-chart" });
  bars.forEach((bar, i) => {
    const h = Math.round((plot * (bar.value || 0)) / top);
    const x = i * step + 2;
    const group = svg("g", { class: "bar" });
    group.append(svg("title", {}, `${bar.label}: ${bar.value}`));
    group.append(svg("rect", { x, y: plot - h + 14, width: Math.max(1, step - 4), height: h }));
    if (bar.value) group.append(svg("text", { x: x + (step - 4) / 2, y: plot - h + 10, "text-anchor": "middle", class: "bar-value" }, bar.value));
    if (i % labelEvery === 0) group.append(svg("text", { x: x + (step - 4) / 2, y: height - 4, "text-anchor": "middle", class: "bar-label" }, bar.label));
    if (bar.onSelect) {
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "button");
      group.setAttribute("aria-label", `${bar.label}: ${bar.value}`);
      group.addEventListener("click", bar.onSelect);
      group.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          bar.onSelect();
        }
      });
    }
    root.append(group);
  });
  figure.append(caption, root);
  return figure;
}
