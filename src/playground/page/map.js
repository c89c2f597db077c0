// A plain outline of Kazakhstan to click on (there are no map tiles offline): an equirectangular
// drawing, a few degrees wide per tenth of the view, accurate enough to pick a region or a city.
const SVG = 'http://www.w3.org/2000/svg';
const WEST = 46, NORTH = 56, KX = 6.7, KY = 10; // KX = KY * cos(48°), so shapes are not stretched
const OUTLINE = [
  [47.2, 46.5], [46.6, 48.5], [47.5, 50.4], [48.7, 50.6], [50.8, 51.6], [52.3, 51.8], [55.0, 50.9], [57.0, 51.0],
  [58.5, 51.0], [61.0, 50.8], [61.5, 51.9], [60.0, 52.3], [61.0, 53.0], [62.0, 53.9], [65.0, 54.6], [69.0, 55.4],
  [71.0, 54.1], [73.5, 54.0], [76.5, 54.2], [78.0, 53.3], [80.0, 51.0], [81.5, 50.8], [83.0, 51.0], [85.0, 49.8],
  [87.3, 49.1], [85.5, 48.0], [85.6, 47.0], [83.0, 47.2], [82.3, 45.5], [80.2, 45.0], [80.3, 44.2], [80.2, 42.9],
  [79.0, 42.8], [76.0, 43.0], [74.0, 43.2], [71.0, 42.7], [70.5, 42.0], [69.1, 41.4], [68.0, 40.6], [66.6, 41.1],
  [66.0, 42.9], [62.0, 43.5], [58.5, 45.6], [56.0, 45.0], [56.0, 41.3], [53.0, 42.1], [52.4, 41.8], [51.3, 43.2],
  [51.0, 44.5], [50.3, 44.6], [52.7, 45.3], [53.0, 46.8], [51.2, 47.1], [49.2, 46.4],
];

const x = (lon) => (lon - WEST) * KX;
const y = (lat) => (NORTH - lat) * KY;

/** Draws the map into `holder`; `onPick(lat, lon)` runs on a click. Returns a function that marks a point. */
export function drawMap(holder, label, cities, cityName, onPick) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${Math.round(x(88))} ${Math.round(y(40))}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const land = document.createElementNS(SVG, 'polygon');
  land.setAttribute('class', 'land');
  land.setAttribute('points', OUTLINE.map(([lon, lat]) => `${x(lon).toFixed(1)},${y(lat).toFixed(1)}`).join(' '));
  svg.append(land);
  for (const city of cities) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('class', 'city');
    dot.setAttribute('cx', x(city.lon).toFixed(1));
    dot.setAttribute('cy', y(city.lat).toFixed(1));
    dot.setAttribute('r', '1.8');
    const name = document.createElementNS(SVG, 'text');
    name.setAttribute('class', 'city-name');
    name.setAttribute('x', (x(city.lon) + 2.5).toFixed(1));
    name.setAttribute('y', (y(city.lat) + 1.5).toFixed(1));
    name.textContent = cityName(city);
    svg.append(dot, name);
  }
  const pick = document.createElementNS(SVG, 'circle');
  pick.setAttribute('class', 'pick');
  pick.setAttribute('r', '2.6');
  pick.setAttribute('visibility', 'hidden');
  svg.append(pick);
  svg.addEventListener('click', (event) => {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const p = point.matrixTransform(svg.getScreenCTM().inverse());
    const lon = WEST + p.x / KX;
    const lat = NORTH - p.y / KY;
    onPick(Math.round(lat * 10000) / 10000, Math.round(lon * 10000) / 10000);
  });
  holder.replaceChildren(svg);
  return (lat, lon) => {
    pick.setAttribute('cx', x(lon).toFixed(1));
    pick.setAttribute('cy', y(lat).toFixed(1));
    pick.setAttribute('visibility', 'visible');
  };
}
