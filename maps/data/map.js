// nkmap's interactive map: layers, popups and every control, drawn from one data object.
// maps/interactive.py calls window.nkmapDraw(map, data) once; the data protocol is described
// in maps/data/PROTOCOL.md.  Article text reaches the page only through textContent.
window.nkmapDraw = function (map, D) {
  "use strict";
  var DAY = 86400000;
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function el(tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    if (parent) parent.appendChild(e);
    return e;
  }
  function swatch(color, parent) {
    var s = el("span", "nk-swatch", null, parent);
    s.style.background = color;
    return s;
  }
  function stopEvents(div) {
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
  }
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\s'’`\-–]/g, "");
  }
  function fmtDate(d, dp) {
    if (d == null) return "date unknown";
    var s = new Date(d * DAY).toISOString().slice(0, 10);
    if (dp === "month") return s.slice(0, 7) + " (month)";
    if (dp === "year") return s.slice(0, 4) + " (year)";
    if (dp === "article") return s + " (publication date of the article)";
    return s + " (day)";
  }
  var C = D.colours;  // the map's colours (maps.style.MAP_COLOURS)
  ["vector_sea", "note", "country_label"].forEach(function (k) {
    document.documentElement.style.setProperty("--nk-" + k.replace("_", "-"), C[k]);
  });
  function prec(k) { return D.prec[k] || D.prec.province; }

  if (map.options.maxZoom === undefined) map.setMaxZoom(18);
  // One canvas for every vector layer of the overlay pane: markers, areas, spiderfy legs,
  // search ring, measuring line.  A second canvas (Leaflet makes one for any layer without a
  // renderer) would sit above this one and take every click, so popups would stop opening.
  var canvas = L.canvas({padding: 0.5});
  map.options.renderer = canvas;
  var api = {map: map, themes: {}, base: {}, overlays: {}};
  window.nkmap = api;

  // ---- base layers -------------------------------------------------------------------
  map.createPane("nkBase");
  map.getPane("nkBase").style.zIndex = 150;
  map.createPane("nkRef");
  map.getPane("nkRef").style.zIndex = 350;
  function vectorBase(pane, withLabels) {
    var g = L.layerGroup();
    L.geoJSON(D.ref.countries, {
      pane: pane, interactive: false,
      style: function (f) {
        var kp = f.properties.iso_a2 === "KP";
        return {color: kp ? C.dprk_edge : C.country_edge, weight: kp ? 1.4 : 0.9,
                fillColor: kp ? C.dprk_land : C.land, fillOpacity: 1};
      }
    }).addTo(g);
    if (withLabels) D.ref.labels.forEach(function (lb) {
      L.marker([lb[1], lb[2]], {interactive: false, keyboard: false, pane: "nkBase",
        icon: L.divIcon({className: "nk-country-label", html: esc(lb[0]), iconSize: [120, 16]})
      }).addTo(g);
    });
    return g;
  }
  var bases = {}, firstBase = null;
  D.opt.tiles.forEach(function (t) {
    var layer = L.tileLayer(t.url, {attribution: t.attribution, maxZoom: t.maxZoom,
      subdomains: t.subdomains || "abc"});
    bases[t.name] = layer;
    if (!firstBase) firstBase = layer;
  });
  var vector = vectorBase("nkBase", true);
  vector.getAttribution = function () { return D.opt.vectorAttribution; };
  bases["Offline basemap (vector)"] = vector;
  if (!firstBase) firstBase = vector;
  api.base = bases;
  function onBase(layer) {
    L.DomUtil[layer === vector ? "addClass" : "removeClass"](map.getContainer(), "nk-vector-base");
  }
  map.on("baselayerchange", function (e) { onBase(e.layer); });
  firstBase.addTo(map);
  onBase(firstBase);
  if (firstBase === vector && map.attributionControl) map.attributionControl.addAttribution(D.opt.vectorAttribution);

  // ---- reference layers --------------------------------------------------------------
  var overlays = {};
  var BORDER = {china: C.border, russia: C.border_russia};
  var provinces = L.geoJSON(D.ref.provinces, {
    pane: "nkRef",
    style: {color: C.neighbour_province_edge, weight: 1, fill: false, dashArray: "4 3"},
    onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), {sticky: true}); }
  });
  var borders = L.geoJSON(D.ref.borders, {
    interactive: false, pane: "nkRef",
    style: function (f) { return {color: BORDER[f.properties.border] || C.border, weight: 2.5, opacity: 0.85}; }
  });
  var crossings = L.layerGroup();
  L.geoJSON(D.ref.pairs, {pane: "nkRef", style: {color: "#222", weight: 2, dashArray: "2 4"},
    onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name + (f.properties.corridor ? " · " + f.properties.corridor : ""))); }
  }).addTo(crossings);
  L.geoJSON(D.ref.crossings, {
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, {renderer: canvas, radius: 4, color: "#222", weight: 1.5,
        fillColor: f.properties.kind === "bridge" ? C.bridge : C.crossing, fillOpacity: 1});
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindTooltip(esc(p.name + " (" + p.kind + ", " + p.country + ")" + (p.corridor ? " · " + p.corridor : "")));
    }
  }).addTo(crossings);

  // ---- theme layers ------------------------------------------------------------------
  // Point events (site, town, county) are canvas circle markers, all themes in ONE cluster
  // group whose badges show the per-theme breakdown, so badges never hide each other.
  // Approximate events (province, country) are drawn as their area: the outline shaded,
  // with the count.  Each theme's overlay is a stand-in layer: ticking it in the layer
  // control re-filters the shared groups.
  var total = 0, byId = {};
  var T = D.themes.map(function (t) {
    var rec = {id: t.id, label: t.label, color: t.color, group: L.layerGroup(), markers: [],
               approx: [], shown: [], shownApprox: []};
    L.geoJSON(t.fc, {
      filter: function (f) {
        if (f.properties.area && D.areas[f.properties.area]) { rec.approx.push(f); return false; }
        return true;
      },
      pointToLayer: function (f, ll) {
        var ps = prec(f.properties.precision);
        var m = L.circleMarker(ll, {renderer: canvas, radius: ps.radius, color: t.color,
          weight: ps.dash ? 1.6 : 1.2, dashArray: ps.dash || null, fillColor: t.color,
          fillOpacity: ps.fillOpacity, opacity: 0.95});
        m._nk = rec;
        rec.markers.push(m);
        return m;
      }
    });
    rec.count = rec.markers.length + rec.approx.length;
    rec.group.on("add remove", function () { if (api.ready) applyFilter(); });
    api.themes[t.id] = rec;
    byId[t.id] = rec;
    total += rec.count;
    return rec;
  });
  function pieSvg(parts, size, hole) {  // parts: [[color, n]]; a donut when hole > 0
    var r = size / 2, sum = 0, a = -Math.PI / 2, out = [];
    parts.forEach(function (p) { sum += p[1]; });
    parts.forEach(function (p) {
      if (p[1] === sum) { out.push('<circle cx="' + r + '" cy="' + r + '" r="' + r + '" fill="' + p[0] + '"/>'); return; }
      var b = a + 2 * Math.PI * p[1] / sum, large = b - a > Math.PI ? 1 : 0;
      out.push('<path fill="' + p[0] + '" d="M' + r + ',' + r + 'L' + (r + r * Math.cos(a)).toFixed(2) + ',' +
        (r + r * Math.sin(a)).toFixed(2) + 'A' + r + ',' + r + ' 0 ' + large + ' 1 ' +
        (r + r * Math.cos(b)).toFixed(2) + ',' + (r + r * Math.sin(b)).toFixed(2) + 'Z"/>');
      a = b;
    });
    if (hole) out.push('<circle cx="' + r + '" cy="' + r + '" r="' + hole + '" fill="#fff" fill-opacity="0.95"/>');
    return '<svg width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '">' + out.join("") + "</svg>";
  }
  function breakdown(markers) {  // [[rec, n]] in legend order
    var by = {};
    markers.forEach(function (m) { by[m._nk.id] = (by[m._nk.id] || 0) + 1; });
    return T.filter(function (r) { return by[r.id]; }).map(function (r) { return [r, by[r.id]]; });
  }
  function clusterIcon(cl) {
    var kids = cl.getAllChildMarkers(), n = kids.length, parts = breakdown(kids);
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
    var title = parts.map(function (p) { return p[0].label + ": " + p[1]; }).join("\n");
    var html = '<div class="nk-cluster-badge" title="' + esc(title) + '" data-themes="' +
      esc(parts.map(function (p) { return p[0].id + ":" + p[1]; }).join(" ")) + '">' +
      pieSvg(parts.map(function (p) { return [p[0].color, p[1]]; }), size, size / 2 - 5) +
      "<span>" + n + "</span></div>";
    return L.divIcon({html: html, className: "nk-cluster", iconSize: L.point(size, size)});
  }
  var points;
  if (D.opt.cluster) {
    points = L.markerClusterGroup({
      chunkedLoading: true, animate: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
      showCoverageOnHover: false, iconCreateFunction: clusterIcon,
      spiderLegPolylineOptions: {renderer: canvas, weight: 1.2, color: "#333", opacity: 0.6}
    });
  } else {
    points = L.featureGroup();
  }
  points.on("click", function (e) { if (e.layer && e.layer._nk) openPopup(e.layer._nk, e.layer, e); });
  points.addTo(map);
  api.points = points;

  // ---- approximate events: areas ----------------------------------------------------
  map.createPane("nkAreaLabel");  // above the shading, below the point markers and badges
  map.getPane("nkAreaLabel").style.zIndex = 450;
  var areaLayer = L.layerGroup().addTo(map);
  api.areaLayer = areaLayer;
  api.areas = {};
  function drawAreas() {
    areaLayer.clearLayers();
    api.areas = {};
    var by = {}, most = 1;
    T.forEach(function (r) {
      r.shownApprox.forEach(function (f) { (by[f.properties.area] = by[f.properties.area] || []).push([r, f]); });
    });
    Object.keys(by).forEach(function (k) { most = Math.max(most, by[k].length); });
    Object.keys(by).forEach(function (k) {
      var a = D.areas[k], hits = by[k], counts = {};
      hits.forEach(function (h) { counts[h[0].id] = (counts[h[0].id] || 0) + 1; });
      var top = T.filter(function (r) { return counts[r.id]; })
        .sort(function (x, y) { return counts[y.id] - counts[x.id]; })[0];
      var country = a.level === "country";
      var shape = L.geoJSON({type: "Feature", geometry: a.geometry, properties: {}}, {
        renderer: canvas,
        style: {color: top.color, weight: 1.5, dashArray: "5 4", fillColor: top.color,
                fillOpacity: (country ? 0.5 : 1) * (0.05 + 0.17 * hits.length / most), opacity: 0.9}
      });
      shape.on("click", function (e) { openList(hits, e.latlng); });
      shape.addTo(areaLayer);
      shape.eachLayer(function (l) { if (l.bringToBack) l.bringToBack(); });
      var text = a.name + " · " + hits.length;
      var what = hits.length + (hits.length === 1 ? " event" : " events") + " placed only in " + a.name +
        (country ? " (country-level)" : " (province-level)") + ": no nearer place";
      var parts = T.filter(function (r) { return counts[r.id]; }).map(function (r) { return [r.color, counts[r.id]]; });
      var label = L.marker(a.label, {keyboard: false, pane: "nkAreaLabel", title: what,
        icon: L.divIcon({className: "nk-area-label", iconSize: null,
          html: '<span class="nk-area-pie">' + pieSvg(parts, 12, 0) + "</span>" + esc(text)})});
      label.on("click", function (e) { openList(hits, e.latlng); });
      label.addTo(areaLayer);
      api.areas[k] = {name: a.name, level: a.level, count: hits.length, label: text, title: what};
    });
  }

  function popupNode(rec, f) {
    var p = f.properties, art = D.arts[p.article] || ["", "", ""];
    var box = el("div", "nk-pop");
    el("div", "nk-pop-title", art[0] || "(untitled article)", box);
    var tb = el("table", null, null, box);
    function row(k, v) {
      var tr = el("tr", null, null, tb);
      el("th", null, k, tr);
      return el("td", null, v, tr);
    }
    row("Date", fmtDate(p.day, p.datePrecision));
    var src = row("Source", null);
    if (/^https?:\/\//i.test(art[2] || "")) {
      var a = el("a", null, art[1] || art[2], src);
      a.href = art[2]; a.target = "_blank"; a.rel = "noopener noreferrer";
    } else {
      src.textContent = art[1] || "unknown";
    }
    row("Place", (p.place || "unknown") + " — " + prec(p.precision).label.toLowerCase());
    var th = row("Theme", null);
    swatch(rec.color, th);
    th.appendChild(document.createTextNode(rec.label));
    if (p.bears) row("Bears on", p.bears);
    if (p.confidence != null) row("Confidence", Math.round(p.confidence * 100) + "%");
    el("blockquote", "nk-pop-quote", p.evidence || "(no quote)", box);
    return box;
  }
  function under(point) {  // every event drawn under the pointer, in any theme, most precise first
    var out = [];
    T.forEach(function (r) {
      if (!map.hasLayer(r.group)) return;
      r.shown.forEach(function (m) {
        if (!m._map) return;  // _map: drawn on its own, not inside a cluster
        var p = map.latLngToLayerPoint(m.getLatLng());
        if (p.distanceTo(point) <= m.options.radius + 2) out.push([r, m]);
      });
    });
    return out.sort(function (x, y) { return x[1].options.radius - y[1].options.radius; });
  }
  function openList(hits, latlng) {  // hits: [[rec, feature]]
    var box = el("div"), MAX = 10;
    if (hits.length > 1) el("div", "nk-more", hits.length + " events here", box);
    hits.slice(0, MAX).forEach(function (o, i) {
      if (i) el("hr", null, null, box);
      box.appendChild(popupNode(o[0], o[1]));
    });
    if (hits.length > MAX) el("div", "nk-more", (hits.length - MAX) + " more: zoom in or filter by time", box);
    api.popupEvents = hits.map(function (o) { return o[1].properties.id; });
    api.popupsOpened = (api.popupsOpened || 0) + 1;
    L.popup({maxWidth: 340, maxHeight: 440}).setLatLng(latlng).setContent(box).openOn(map);
  }
  function openPopup(rec, layer, e) {
    var hits = e && e.layerPoint ? under(e.layerPoint) : [];
    if (!hits.length) hits = [[rec, layer]];
    openList(hits.map(function (o) { return [o[0], o[1].feature]; }), hits[0][1].getLatLng());
  }

  // ---- heat layer --------------------------------------------------------------------
  var heat = null;
  function heatPoints() {
    var pts = [];
    T.forEach(function (r) {  // point events only: an approximate event has no point to heat
      if (!map.hasLayer(r.group)) return;
      r.shown.forEach(function (m) { var c = m.feature.geometry.coordinates; pts.push([c[1], c[0], 0.6]); });
    });
    return pts;
  }
  if (D.opt.heat && L.heatLayer) {
    heat = L.heatLayer([], {radius: 18, blur: 15, maxZoom: 10});
    heat.on("add", function () { heat.setLatLngs(heatPoints()); });
  }

  // ---- layer control -----------------------------------------------------------------
  function label(color, text) {
    return '<span class="nk-swatch" style="background:' + color + '"></span>' + esc(text);
  }
  T.forEach(function (r) {
    var name = label(r.color, r.label + " (" + r.count + ")");
    overlays[name] = r.group;
    r.group.addTo(map);
    api.overlays[r.id] = r.group;
  });
  overlays[label(C.crossing, "Border crossings & bridges")] = crossings;
  overlays[label(C.border, "China–DPRK & Russia–DPRK border")] = borders;
  overlays[label(C.dprk_land, "DPRK provinces")] = provinces;
  provinces.addTo(map); borders.addTo(map); crossings.addTo(map);
  api.overlays.crossings = crossings; api.overlays.borders = borders; api.overlays.provinces = provinces;
  if (heat) {
    // In a plain group: Leaflet's layer control greys out a layer whose options.maxZoom is
    // below the current zoom, and leaflet.heat's maxZoom only scales intensity.
    var heatGroup = L.layerGroup([heat]);
    overlays[label(C.heat, "Heat map (events shown)")] = heatGroup;
    api.overlays.heat = heatGroup;
  }
  api.layerControl = L.control.layers(bases, overlays, {collapsed: false, position: "topright"}).addTo(map);

  // ---- time filter -------------------------------------------------------------------
  var lo = D.time ? D.time[0] : 0, hi = D.time ? D.time[1] : 0, undated = true;
  function visible(f) {
    var d = f.properties.day;
    return d == null ? undated : (d >= lo && d <= hi);
  }
  function applyFilter() {
    var all = [];
    T.forEach(function (r) {
      var on = map.hasLayer(r.group);
      r.shown = r.markers.filter(function (m) { return visible(m.feature); });
      r.shownApprox = on ? r.approx.filter(visible) : [];
      if (on) all = all.concat(r.shown);
    });
    points.clearLayers();
    if (D.opt.cluster) points.addLayers(all);
    else all.forEach(function (m) { points.addLayer(m); });
    drawAreas();
    if (heat && map.hasLayer(heat)) heat.setLatLngs(heatPoints());
    updateLegend();
  }
  api.setTime = function (from, to, withUndated) {
    lo = from; hi = to; if (withUndated != null) undated = withUndated;
    applyFilter(); syncSlider();
  };
  api.shown = function (id) {
    var r = api.themes[id];
    return r && map.hasLayer(r.group) ? r.shown.length + r.shownApprox.length : 0;
  };
  var syncSlider = function () {};
  if (D.time) {
    var Time = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
      var div = L.DomUtil.create("div", "nk-box nk-time");
      stopEvents(div);
      el("strong", null, "Time", div);
      var lab = el("div", "nk-time-label", "", div);
      var a = el("input", "nk-time-from", null, div), b = el("input", "nk-time-to", null, div);
      [a, b].forEach(function (x) { x.type = "range"; x.min = D.time[0]; x.max = D.time[1]; x.step = 1; });
      a.value = lo; b.value = hi;
      a.setAttribute("aria-label", "From date"); b.setAttribute("aria-label", "To date");
      var und = el("label", null, null, div), cb = el("input", "nk-time-undated", null, und);
      cb.type = "checkbox"; cb.checked = true;
      und.appendChild(document.createTextNode(" include undated events"));
      var timer = null;
      function text() {
        lab.textContent = fmtDate(lo, "day").slice(0, 10) + " → " + fmtDate(hi, "day").slice(0, 10);
      }
      function changed() {
        var x = +a.value, y = +b.value;
        if (x > y) { if (this === a) { b.value = x; y = x; } else { a.value = y; x = y; } }
        lo = x; hi = y; undated = cb.checked; text();
        clearTimeout(timer); timer = setTimeout(applyFilter, 60);
      }
      a.addEventListener("input", changed); b.addEventListener("input", changed);
      cb.addEventListener("change", changed);
      syncSlider = function () { a.value = lo; b.value = hi; cb.checked = undated; text(); };
      text();
      return div;
    }});
    api.timeControl = new Time().addTo(map);
  }

  // ---- legend ------------------------------------------------------------------------
  var counts = {};
  var Legend = L.Control.extend({options: {position: "bottomright"}, onAdd: function () {
    var div = L.DomUtil.create("div", "nk-box nk-legend");
    stopEvents(div);
    el("h4", null, "Events by theme", div);
    if (!T.length) el("div", "nk-note", "No events to show.", div);
    T.forEach(function (r) {
      var row = el("div", "nk-row", null, div);
      swatch(r.color, row);
      el("span", null, r.label, row);
      counts[r.id] = el("span", "nk-count", "", row);
    });
    el("h4", null, "Location precision", div);
    D.precOrder.forEach(function (k) {
      var ps = D.prec[k], row = el("div", "nk-row", null, div);
      var holder = el("span", null, null, row);
      holder.style.cssText = "display:inline-block;width:44px;text-align:center;line-height:0";
      if (D.approximate.indexOf(k) >= 0) {  // drawn as an area, not a point
        var sq = el("span", "nk-area-swatch", null, holder);
        sq.style.opacity = k === "country" ? 0.6 : 1;
        el("span", null, ps.label + ": the area shaded, with its count", row);
        return;
      }
      var s = 2 * ps.radius + 4;
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", s); svg.setAttribute("height", s);
      var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      c.setAttribute("cx", s / 2); c.setAttribute("cy", s / 2); c.setAttribute("r", ps.radius);
      c.setAttribute("fill", "#555"); c.setAttribute("fill-opacity", ps.fillOpacity);
      c.setAttribute("stroke", "#555"); c.setAttribute("stroke-width", ps.dash ? 1.6 : 1.2);
      if (ps.dash) c.setAttribute("stroke-dasharray", ps.dash);
      svg.appendChild(c);
      holder.appendChild(svg);
      el("span", null, ps.label, row);
    });
    if (D.opt.cluster) {
      var crow = el("div", "nk-row", null, div), ch = el("span", null, null, crow);
      ch.style.cssText = "display:inline-block;width:44px;text-align:center;line-height:0";
      ch.innerHTML = pieSvg(T.slice(0, 3).map(function (r) { return [r.color, 1]; }), 20, 5);  // constant colours
      el("span", null, "Cluster: events nearby, ring split by theme", crow);
    }
    el("h4", null, "Reference", div);
    [[C.border, "China–DPRK border"], [C.border_russia, "Russia–DPRK border"]].forEach(function (x) {
      var row = el("div", "nk-row", null, div), line = el("span", null, null, row);
      line.style.cssText = "display:inline-block;width:22px;border-top:3px solid " + x[0];
      el("span", null, x[1], row);
    });
    var row = el("div", "nk-row", null, div);
    swatch(C.crossing, row); el("span", null, "Border crossing", row);
    row = el("div", "nk-row", null, div);
    swatch(C.bridge, row); el("span", null, "Bridge", row);
    row = el("div", "nk-row", null, div);
    var pl = el("span", null, null, row);
    pl.style.cssText = "display:inline-block;width:22px;border-top:2px dashed #222";
    el("span", null, "Joins a Chinese–DPRK pair", row);
    D.notes.forEach(function (n) { el("div", "nk-note", n, div); });
    return div;
  }});
  function updateLegend() {
    T.forEach(function (r) {
      var n = r.shown.length + r.approx.filter(visible).length;
      if (counts[r.id]) counts[r.id].textContent = n === r.count ? String(r.count) : n + " / " + r.count;
    });
  }
  api.legend = new Legend().addTo(map);
  applyFilter();

  // ---- search ------------------------------------------------------------------------
  var index = D.search.map(function (s) { return {name: s[0], lat: s[1], lon: s[2], kind: s[3], key: fold(s[0])}; });
  var hit = null;
  function go(h) {
    map.setView([h.lat, h.lon], Math.max(map.getZoom(), 10));
    if (hit) map.removeLayer(hit);
    hit = L.circleMarker([h.lat, h.lon], {radius: 18, color: "#000", weight: 2, fill: false,
      dashArray: "3 3", interactive: false, className: "nk-hit"}).addTo(map);
    hit.bindTooltip(esc(h.name), {permanent: true, direction: "top", offset: [0, -16]}).openTooltip();
    api.lastSearch = h;
  }
  function find(q) {
    var k = fold(q);
    if (!k) return [];
    var pre = [], mid = [];
    index.forEach(function (h) {
      var i = h.key.indexOf(k);
      if (i === 0) pre.push(h); else if (i > 0) mid.push(h);
    });
    return pre.concat(mid).slice(0, 8);
  }
  api.find = find;
  var Search = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "leaflet-bar nk-search");
    stopEvents(div);
    var input = el("input", null, null, div);
    input.type = "search"; input.placeholder = "Search places…";
    input.setAttribute("aria-label", "Search places");
    var list = el("ul", null, null, div), hits = [];
    function render() {
      hits = find(input.value);
      list.textContent = "";
      hits.forEach(function (h, i) {
        var li = el("li", i === 0 ? "nk-active" : null, h.name, list);
        el("small", null, h.kind, li);
        li.addEventListener("click", function () { go(h); list.textContent = ""; });
      });
    }
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && hits.length) { go(hits[0]); list.textContent = ""; }
      if (e.key === "Escape") { input.value = ""; list.textContent = ""; }
    });
    return div;
  }});
  new Search().addTo(map);

  // ---- full screen and measuring -----------------------------------------------------
  var ICON_FULL = '<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="#222" stroke-width="2"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
  var ICON_RULER = '<svg width="18" height="18" viewBox="0 0 18 18" fill="none" stroke="#222" stroke-width="1.5"><path d="M2 12L12 2l4 4L6 16z"/><path d="M5 9l2 2M7.5 6.5l1.5 1.5M10 4l2 2"/></svg>';
  function button(bar, icon, title, onClick) {
    var a = L.DomUtil.create("a", "nk-btn", bar);
    a.href = "#"; a.title = title; a.setAttribute("role", "button"); a.setAttribute("aria-label", title);
    a.innerHTML = icon;  // constant SVG, no article text
    L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); onClick(a); });
    return a;
  }
  var Tools = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var bar = L.DomUtil.create("div", "leaflet-bar");
    stopEvents(bar);
    button(bar, ICON_FULL, "Full screen", function () {
      var c = map.getContainer();
      if (document.fullscreenElement) { document.exitFullscreen(); return; }
      if (c.requestFullscreen) {
        c.requestFullscreen().catch(function () { L.DomUtil.addClass(c, "nk-fullscreen-fallback"); map.invalidateSize(); });
      } else {
        c.classList.toggle("nk-fullscreen-fallback"); map.invalidateSize();
      }
    });
    var pts = [], line = null, out = null;
    api.measure = {points: pts, km: 0, on: false};
    button(bar, ICON_RULER, "Measure distance (click points; click again to stop)", function (a) {
      api.measure.on = !api.measure.on;
      L.DomUtil[api.measure.on ? "addClass" : "removeClass"](a, "nk-on");
      map.getContainer().style.cursor = api.measure.on ? "crosshair" : "";
      if (!api.measure.on) {
        pts.length = 0; api.measure.km = 0;
        if (line) { map.removeLayer(line); line = null; }
        if (out) { out.remove(); out = null; }
      }
    });
    map.on("click", function (e) {
      if (!api.measure.on) return;
      pts.push(e.latlng);
      if (!line) line = L.polyline(pts, {color: "#000", weight: 2, dashArray: "6 4", interactive: false}).addTo(map);
      else line.setLatLngs(pts);
      var m = 0;
      for (var i = 1; i < pts.length; i++) m += pts[i - 1].distanceTo(pts[i]);
      api.measure.km = m / 1000;
      if (!out) out = el("div", "nk-measure-out", null, bar);
      out.textContent = (m / 1000).toFixed(m < 10000 ? 2 : 1) + " km";
    });
    return bar;
  }});
  new Tools().addTo(map);
  L.control.scale({metric: true, imperial: false, position: "bottomleft"}).addTo(map);

  // ---- mini-map ----------------------------------------------------------------------
  if (D.opt.minimap) {
    var Mini = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
      var div = L.DomUtil.create("div", "nk-minimap");
      stopEvents(div);
      return div;
    }});
    var miniCtl = new Mini().addTo(map);
    var mini = L.map(miniCtl.getContainer(), {attributionControl: false, zoomControl: false,
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false,
      keyboard: false, touchZoom: false});
    if (D.opt.tiles.length) {
      var t0 = D.opt.tiles[0];
      L.tileLayer(t0.url, {subdomains: t0.subdomains || "abc", maxZoom: t0.maxZoom}).addTo(mini);
    } else {
      mini.createPane("nkBase");
      L.DomUtil.addClass(mini.getContainer(), "nk-vector-base");
      vectorBase("nkBase", false).addTo(mini);
    }
    var box = L.rectangle([[0, 0], [0, 0]], {color: C.minimap_box, weight: 1.5, fillOpacity: 0.1, interactive: false}).addTo(mini);
    var syncMini = function () {
      mini.setView(map.getCenter(), Math.max(map.getZoom() - 4, 0), {animate: false});
      box.setBounds(map.getBounds());
    };
    mini.on("click", function (e) { map.panTo(e.latlng); });
    map.on("moveend zoomend", syncMini);
    api.minimap = mini;
  }

  // ---- view --------------------------------------------------------------------------
  var wide = map.getSize().x > 900;
  map.fitBounds(D.bounds, {paddingTopLeft: [wide ? 60 : 20, 20],
    paddingBottomRight: [wide ? 300 : 20, 20], maxZoom: 11});
  if (D.opt.minimap) { mini.invalidateSize(); syncMini(); }
  api.ready = true;
};
