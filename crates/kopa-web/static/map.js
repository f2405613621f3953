// Kopa's interactive maps, drawn with MapLibre GL over the workspace's own base map.
// Everything here is an enhancement: without JavaScript or WebGL, the server-drawn SVG map
// and the typed place field do the same work, so any failure leaves them in place.
"use strict";

(function () {
  function webglWorks() {
    try {
      var canvas = document.createElement("canvas");
      return !!(window.maplibregl && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
    } catch (e) {
      return false;
    }
  }

  // A style with no tile server: the base map from GeoJSON, and tiles only when configured.
  function style(backdropUrl, tiles) {
    var sources = { backdrop: { type: "geojson", data: backdropUrl } };
    var layers = [{ id: "paper", type: "background", paint: { "background-color": "#f4f1ea" } }];
    if (tiles) {
      sources.tiles = {
        type: "raster",
        tiles: [tiles],
        tileSize: 256,
        attribution: "© OpenStreetMap contributors",
      };
      layers.push({ id: "tiles", type: "raster", source: "tiles" });
    }
    layers.push(
      {
        id: "outline-fill",
        type: "fill",
        source: "backdrop",
        filter: ["==", ["get", "layer"], "outline"],
        paint: { "fill-color": "#ffffff", "fill-opacity": tiles ? 0.1 : 1 },
      },
      {
        id: "outline",
        type: "line",
        source: "backdrop",
        filter: ["==", ["get", "layer"], "outline"],
        paint: { "line-color": "#4b5563", "line-width": 2, "line-dasharray": [3, 2] },
      },
      {
        id: "water-area",
        type: "fill",
        source: "backdrop",
        filter: ["all", ["==", ["get", "layer"], "water"], ["==", ["get", "shape"], "area"]],
        paint: { "fill-color": "#bfdbfe", "fill-outline-color": "#60a5fa" },
      },
      {
        id: "rivers",
        type: "line",
        source: "backdrop",
        filter: ["all", ["==", ["get", "layer"], "water"], ["==", ["get", "shape"], "line"]],
        paint: { "line-color": "#7fb0f0", "line-width": 5 },
        layout: { "line-cap": "round", "line-join": "round" },
      },
      {
        id: "minor",
        type: "line",
        source: "backdrop",
        filter: ["==", ["get", "layer"], "minor"],
        paint: { "line-color": "#9ca3af", "line-width": 1 },
      },
      {
        id: "paths",
        type: "line",
        source: "backdrop",
        filter: ["==", ["get", "layer"], "path"],
        paint: { "line-color": "#15803d", "line-width": 1.5, "line-dasharray": [2, 1] },
      },
      {
        id: "major",
        type: "line",
        source: "backdrop",
        filter: ["==", ["get", "layer"], "major"],
        paint: { "line-color": "#57534e", "line-width": 3 },
      }
    );
    return { version: 8, sources: sources, layers: layers };
  }

  function bounds(geojson) {
    var box = [180, 90, -180, -90];
    function visit(c) {
      if (typeof c[0] === "number") {
        box = [Math.min(box[0], c[0]), Math.min(box[1], c[1]), Math.max(box[2], c[0]), Math.max(box[3], c[1])];
      } else {
        c.forEach(visit);
      }
    }
    geojson.features.forEach(function (f) {
      visit(f.geometry.coordinates);
    });
    return [[box[0], box[1]], [box[2], box[3]]];
  }

  // Names of places, water and main roads as page text rather than map glyphs, which would
  // need a font server. They are hidden from screen readers: the list beside the map and
  // the SVG map name them.
  function nameThePlaces(map, backdrop) {
    backdrop.features.forEach(function (f) {
      if (f.properties.layer !== "label") return;
      var label = document.createElement("span");
      label.className = "map-place " + f.properties.class;
      label.textContent = f.properties.name;
      label.setAttribute("aria-hidden", "true");
      // A place's name starts at its dot, so that a marker on the place leaves it readable.
      var place = f.properties.class.indexOf("place-") === 0;
      new maplibregl.Marker({ element: label, anchor: place ? "bottom-left" : "center", offset: place ? [-4, 8] : [0, 0] })
        .setLngLat(f.geometry.coordinates)
        .addTo(map);
    });
    // Neighbourhoods only once zoomed in, where there is room for them.
    function byZoom() {
      map.getContainer().classList.toggle("names-local", map.getZoom() >= 13);
    }
    map.on("zoomend", byZoom);
    byZoom();
  }

  function makeMap(container, backdropUrl, tiles) {
    return fetch(backdropUrl)
      .then(function (r) {
        if (!r.ok) throw new Error("no base map");
        return r.json();
      })
      .then(function (backdrop) {
        var map = new maplibregl.Map({
          container: container,
          style: style(backdropUrl, tiles),
          bounds: bounds(backdrop),
          fitBoundsOptions: { padding: 20 },
          attributionControl: { customAttribution: backdrop.attribution },
        });
        map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
        nameThePlaces(map, backdrop);
        return new Promise(function (resolve, reject) {
          map.on("load", function () {
            resolve(map);
          });
          map.on("error", reject);
        });
      });
  }

  // The map page: markers clustered by MapLibre, drawn as links so keyboards reach them.
  function showItems(figure) {
    var container = document.createElement("div");
    container.className = "map-interactive";
    figure.insertBefore(container, figure.firstChild);
    makeMap(container, figure.dataset.backdrop, figure.dataset.tiles)
      .then(function (map) {
        return fetch(figure.dataset.features)
          .then(function (r) {
            return r.json();
          })
          .then(function (items) {
            var points = {
              type: "FeatureCollection",
              features: items.features.map(function (f) {
                return {
                  type: "Feature",
                  properties: f.properties,
                  geometry: { type: "Point", coordinates: f.properties.marker },
                };
              }),
            };
            map.addSource("shapes", { type: "geojson", data: items });
            map.addLayer({
              id: "shapes-line",
              type: "line",
              source: "shapes",
              filter: ["!=", ["geometry-type"], "Point"],
              paint: { "line-color": "#7c2d12", "line-width": 3 },
            });
            map.addSource("items", { type: "geojson", data: points, cluster: true, clusterRadius: 40, clusterMaxZoom: 17 });
            map.addLayer({ id: "items-hidden", type: "circle", source: "items", paint: { "circle-opacity": 0, "circle-radius": 1 } });
            var shown = {};
            function refresh() {
              var next = {};
              map.querySourceFeatures("items").forEach(function (f) {
                var p = f.properties;
                var key = p.cluster ? "c" + p.cluster_id : p.kind + p.href;
                if (next[key]) return;
                var marker = shown[key];
                if (!marker) {
                  var link = document.createElement("a");
                  if (p.cluster) {
                    link.className = "map-marker cluster";
                    link.href = "#";
                    link.textContent = p.point_count;
                    link.setAttribute("aria-label", figure.dataset.clusterLabel + ": " + p.point_count);
                    link.addEventListener("click", function (event) {
                      event.preventDefault();
                      map.getSource("items").getClusterExpansionZoom(p.cluster_id).then(function (zoom) {
                        map.easeTo({ center: f.geometry.coordinates, zoom: zoom });
                      });
                    });
                  } else {
                    var idea = p.kind === "idea";
                    link.className = "map-marker " + (idea ? "idea" : "initiative");
                    link.href = p.href;
                    link.title = p.title;
                    link.setAttribute("aria-label", (idea ? figure.dataset.ideaLabel : figure.dataset.initiativeLabel) + ": " + p.title);
                  }
                  marker = new maplibregl.Marker({ element: link }).setLngLat(f.geometry.coordinates).addTo(map);
                }
                next[key] = marker;
              });
              Object.keys(shown).forEach(function (key) {
                if (!next[key]) shown[key].remove();
              });
              shown = next;
            }
            map.on("data", function (e) {
              if (e.sourceId === "items" && e.isSourceLoaded) refresh();
            });
            map.on("moveend", refresh);
            figure.classList.add("is-interactive");
          });
      })
      .catch(function () {
        container.remove();
      });
  }

  // The place field of a form: click to set a point, or add vertices for a line or an area.
  function pickPlace(picker) {
    var field = document.getElementById(picker.dataset.field);
    if (!field) return;
    var container = document.createElement("div");
    container.className = "map-interactive picker";
    picker.appendChild(container);
    var mode = "Point";
    var vertices = [];
    function geometry() {
      if (vertices.length === 0) return null;
      if (mode === "Point") return { type: "Point", coordinates: vertices[0] };
      if (mode === "LineString") return vertices.length > 1 ? { type: "LineString", coordinates: vertices } : null;
      return vertices.length > 2 ? { type: "Polygon", coordinates: [vertices.concat([vertices[0]])] } : null;
    }
    // A shape drawn stands in for the typed place: its GeoJSON is sent, and words are shown.
    var said = picker.querySelector(".place-drawn");
    var typedField = field.closest(".field") || field;
    try {
      var kept = JSON.parse(field.value);
      if (kept && kept.type === "Point") vertices = [kept.coordinates];
      if (kept && kept.type === "LineString") vertices = kept.coordinates;
      if (kept && kept.type === "Polygon") vertices = kept.coordinates[0].slice(0, -1);
      if (vertices.length) mode = kept.type;
    } catch (notDrawn) {
      vertices = [];
    }
    function show(g) {
      typedField.hidden = Boolean(g);
      said.hidden = !g;
      said.textContent = g ? picker.dataset["drawn" + g.type] : "";
    }
    show(geometry());
    makeMap(container, picker.dataset.backdrop, picker.dataset.tiles)
      .then(function (map) {
        map.addSource("drawn", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
        map.addLayer({ id: "drawn-line", type: "line", source: "drawn", paint: { "line-color": "#7c2d12", "line-width": 3 } });
        map.addLayer({
          id: "drawn-points",
          type: "circle",
          source: "drawn",
          paint: { "circle-color": "#1d4ed8", "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 2 },
        });
        function update() {
          var g = geometry();
          if (g || field.value.trim().charAt(0) === "{") field.value = g ? JSON.stringify(g) : "";
          show(g);
          var features = vertices.map(function (v) {
            return { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: v } };
          });
          if (g && g.type !== "Point") features.push({ type: "Feature", properties: {}, geometry: g });
          map.getSource("drawn").setData({ type: "FeatureCollection", features: features });
        }
        map.on("click", function (e) {
          var at = [Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6];
          vertices = mode === "Point" ? [at] : vertices.concat([at]);
          update();
        });
        update();
        picker.querySelectorAll("[data-mode]").forEach(function (button) {
          button.hidden = false;
          if (button.dataset.mode !== "clear") button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
          button.addEventListener("click", function () {
            if (button.dataset.mode === "clear") {
              vertices = [];
            } else {
              mode = button.dataset.mode;
              vertices = [];
              picker.querySelectorAll("[data-mode]").forEach(function (b) {
                b.setAttribute("aria-pressed", String(b === button));
              });
            }
            update();
          });
        });
      })
      .catch(function () {
        container.remove();
      });
  }

  // The stress levels drawn as the server-drawn map and its legend draw them: by width and
  // dash as well as colour.
  var LEVELS = [
    { lts: 1, color: "#15803d", width: 1.5 },
    { lts: 2, color: "#1d4ed8", width: 2, dash: [1, 2] },
    { lts: 3, color: "#b45309", width: 3, dash: [3, 1.5] },
    { lts: 4, color: "#b91c1c", width: 4 },
  ];

  // A stress map: a street clicked, or the street at the centre when Enter is pressed, is
  // shown beside the map from its own page, with why it has its level, its tags, and the
  // changes to try on it. The scenario page also draws what its scenario changes.
  function showStress(figure) {
    var container = document.createElement("div");
    container.className = "map-interactive";
    figure.insertBefore(container, figure.firstChild);
    var picked = figure.querySelector(".street-picked");
    makeMap(container, figure.dataset.stress)
      .then(function (map) {
        // The map's own source holds the stress layer: no second copy is loaded.
        var layers = LEVELS.map(function (level) {
          var paint = { "line-color": level.color, "line-width": level.width };
          if (level.dash) paint["line-dasharray"] = level.dash;
          map.addLayer({
            id: "lts-" + level.lts,
            type: "line",
            source: "backdrop",
            filter: ["==", ["get", "lts"], level.lts],
            layout: { "line-cap": "round", "line-join": "round" },
            paint: paint,
          });
          return "lts-" + level.lts;
        });
        var changed = JSON.parse(figure.dataset.changed || "[]");
        if (changed.length) {
          map.addLayer({
            id: "changed",
            type: "line",
            source: "backdrop",
            filter: ["in", ["get", "segment"], ["literal", changed]],
            paint: { "line-color": "#1f2937", "line-width": 6, "line-opacity": 0.8 },
          });
        }
        map.addLayer({
          id: "picked",
          type: "line",
          source: "backdrop",
          filter: ["==", ["get", "segment"], -1],
          paint: { "line-color": "#000000", "line-width": 7, "line-opacity": 0.5 },
        });
        JSON.parse(figure.dataset.points || "[]").forEach(function (at) {
          var ring = document.createElement("span");
          ring.className = "map-scenario-point";
          ring.setAttribute("aria-hidden", "true");
          new maplibregl.Marker({ element: ring }).setLngLat(at).addTo(map);
        });
        if (figure.dataset.backdrop) {
          fetch(figure.dataset.backdrop)
            .then(function (r) {
              return r.ok ? r.json() : { features: [] };
            })
            .then(function (backdrop) {
              nameThePlaces(map, backdrop);
            })
            .catch(function () {});
        }
        function near(x, y, reach) {
          var found = map.queryRenderedFeatures([[x - reach, y - reach], [x + reach, y + reach]], { layers: layers });
          var best = null;
          var bestDistance = Infinity;
          found.forEach(function (f) {
            f.geometry.coordinates.forEach(function (c) {
              var p = map.project(c);
              var d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
              if (d < bestDistance) {
                bestDistance = d;
                best = f;
              }
            });
          });
          return best;
        }
        function show(feature) {
          if (!feature) return;
          var segment = feature.properties.segment;
          map.setFilter("picked", ["==", ["get", "segment"], segment]);
          var href = figure.dataset.streets + segment;
          var asked = figure.dataset.scenario ? href + "?scenario=" + encodeURIComponent(figure.dataset.scenario) : href;
          fetch(asked)
            .then(function (r) {
              if (!r.ok) throw new Error("no street");
              return r.text();
            })
            .then(function (html) {
              var page = new DOMParser().parseFromString(html, "text/html");
              var body = picked.querySelector(".street-picked-body");
              body.textContent = "";
              var name = document.createElement("h3");
              name.textContent = page.querySelector("main h1").textContent;
              body.appendChild(name);
              ["#why", "#try", "#tags"].forEach(function (selector) {
                var section = page.querySelector(selector);
                if (!section) return;
                // Its headings one level down, and its ids kept apart from the page's own.
                section.querySelectorAll("[id]").forEach(function (e) {
                  e.id = "picked-" + e.id;
                });
                section.removeAttribute("id");
                section.querySelectorAll("[aria-labelledby]").forEach(function (e) {
                  e.setAttribute("aria-labelledby", "picked-" + e.getAttribute("aria-labelledby"));
                });
                if (section.hasAttribute("aria-labelledby")) {
                  section.setAttribute("aria-labelledby", "picked-" + section.getAttribute("aria-labelledby"));
                }
                section.querySelectorAll("h2").forEach(function (h) {
                  var h4 = document.createElement("h4");
                  h4.id = h.id;
                  h4.textContent = h.textContent;
                  h.replaceWith(h4);
                });
                body.appendChild(document.importNode(section, true));
              });
              picked.querySelector(".street-picked-link").href = href;
              picked.hidden = false;
            })
            .catch(function () {});
        }
        map.on("click", function (e) {
          show(near(e.point.x, e.point.y, 8));
        });
        map.on("mousemove", function (e) {
          map.getCanvas().style.cursor = near(e.point.x, e.point.y, 8) ? "pointer" : "";
        });
        map.getCanvas().addEventListener("keydown", function (e) {
          if (e.key !== "Enter") return;
          var canvas = map.getCanvas().getBoundingClientRect();
          show(near(canvas.width / 2, canvas.height / 2, 40));
        });
        figure.querySelectorAll(".map-pick-hint").forEach(function (hint) {
          hint.hidden = false;
        });
        figure.classList.add("is-interactive");
      })
      .catch(function () {
        container.remove();
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!webglWorks()) return;
    var figure = document.querySelector("figure[data-features]");
    if (figure) showItems(figure);
    document.querySelectorAll("figure[data-stress]").forEach(showStress);
    document.querySelectorAll("[data-place-picker]").forEach(pickPlace);
  });
})();
