/* litkg graph viewer: draws the embedded graph on a canvas. No library, no network.
 * Text from the data is written only through textContent, never as markup. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, docs = data.docs, meta = data.meta;
  var canvas = document.getElementById("graph");
  var ctx = canvas.getContext("2d");
  var card = document.getElementById("card");
  var statusLine = document.getElementById("status");
  var view = { x: 0, y: 0, k: 1, fit: 1 };  // screen = world * k + (x, y)
  var hidden = new Set(), matches = new Set();
  var hover = null, selected = null, drag = null, pending = false, dpr = 1;
  var LABELLED = 40;  // the most connected nodes always show their label
  var neighbours = nodes.map(function () { return []; });
  edges.forEach(function (e, i) { neighbours[e.s].push(i); neighbours[e.t].push(i); });
  var byDegree = nodes.map(function (n, i) { return i; })
    .sort(function (a, b) { return nodes[b].deg - nodes[a].deg; });
  var alwaysLabelled = new Set(byDegree.slice(0, LABELLED));

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function colour(type) { return meta.colours[type] || "#999999"; }
  function visible(i) { return !hidden.has(nodes[i].type); }
  function sx(n) { return n.x * view.k + view.x; }
  function sy(n) { return n.y * view.k + view.y; }
  function radius(n) {
    var zoom = Math.min(3, Math.max(0.6, Math.sqrt(view.k / view.fit)));
    return (2 + Math.sqrt(n.deg) * 0.7) * zoom;
  }

  function resize() {
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
    canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
  }

  function fit() {
    if (!nodes.length) { return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) {
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y);
      x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y);
    });
    var w = canvas.clientWidth, h = canvas.clientHeight;
    view.k = 0.9 * Math.min(w / Math.max(x1 - x0, 1e-6), h / Math.max(y1 - y0, 1e-6));
    view.fit = view.k;
    view.x = w / 2 - view.k * (x0 + x1) / 2;
    view.y = h / 2 - view.k * (y0 + y1) / 2;
  }

  function focusSet() {
    var focus = new Set(), item = hover || selected;
    if (item && item.kind === "node") {
      focus.add(item.i);
      neighbours[item.i].forEach(function (ei) { focus.add(edges[ei].s); focus.add(edges[ei].t); });
    } else if (item && item.kind === "edge") {
      focus.add(edges[item.i].s); focus.add(edges[item.i].t);
    }
    return focus;
  }

  function drawEdges(focus) {
    ctx.lineWidth = 0.7;
    ctx.strokeStyle = focus.size ? "rgba(150,150,150,0.15)" : "rgba(120,120,120,0.35)";
    ctx.beginPath();
    edges.forEach(function (e) {
      if (!visible(e.s) || !visible(e.t)) { return; }
      ctx.moveTo(sx(nodes[e.s]), sy(nodes[e.s]));
      ctx.lineTo(sx(nodes[e.t]), sy(nodes[e.t]));
    });
    ctx.stroke();
    var item = hover || selected;
    if (!item) { return; }
    var strong = item.kind === "node" ? neighbours[item.i] : [item.i];
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = "rgba(40,40,40,0.8)";
    ctx.beginPath();
    strong.forEach(function (ei) {
      var e = edges[ei];
      if (!visible(e.s) || !visible(e.t)) { return; }
      ctx.moveTo(sx(nodes[e.s]), sy(nodes[e.s]));
      ctx.lineTo(sx(nodes[e.t]), sy(nodes[e.t]));
    });
    ctx.stroke();
  }

  function drawNodes(focus) {
    var drawn = 0;
    nodes.forEach(function (n, i) {
      if (!visible(i)) { return; }
      var r = radius(n);
      ctx.globalAlpha = focus.size && !focus.has(i) ? 0.35 : 1;
      ctx.beginPath();
      ctx.arc(sx(n), sy(n), r, 0, 2 * Math.PI);
      ctx.fillStyle = colour(n.type);
      ctx.fill();
      if (matches.has(i)) {
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#d62728";
        ctx.stroke();
      }
      drawn += 1;
    });
    ctx.globalAlpha = 1;
    return drawn;
  }

  function overlaps(box, boxes) {
    return boxes.some(function (b) {
      return box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h;
    });
  }

  function drawLabels(focus) {
    var zoomedIn = view.k / view.fit > 2.5, w = canvas.clientWidth, h = canvas.clientHeight;
    var boxes = [];
    ctx.font = "11px system-ui, sans-serif";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = "#111";
    // Most connected first; a label that would overlap one already drawn is skipped,
    // unless it belongs to the item in focus or to a search match.
    var item = hover || selected, ends = new Set();
    if (item && item.kind === "node") { ends.add(item.i); }
    if (item && item.kind === "edge") { ends.add(edges[item.i].s); ends.add(edges[item.i].t); }
    byDegree.forEach(function (i) {
      var n = nodes[i], x = sx(n), y = sy(n), r = radius(n);
      if (!visible(i) || x < 0 || y < 0 || x > w || y > h || boxes.length > 300) { return; }
      var wanted = matches.has(i) || ends.has(i);
      if (!(wanted || focus.has(i) || alwaysLabelled.has(i) || zoomedIn)) { return; }
      var text = n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label;
      var box = { x: x + r + 2, y: y - 7, w: ctx.measureText(text).width, h: 14 };
      if (!wanted && overlaps(box, boxes)) { return; }
      boxes.push(box);
      ctx.strokeText(text, box.x, y + 4);
      ctx.fillText(text, box.x, y + 4);
    });
  }

  function draw() {
    pending = false;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
    var focus = focusSet();
    drawEdges(focus);
    var drawn = drawNodes(focus);
    drawLabels(focus);
    document.body.dataset.drawn = String(drawn);
  }

  function redraw() {
    if (!pending) { pending = true; window.requestAnimationFrame(draw); }
  }

  function nodeAt(px, py) {
    for (var a = byDegree.length - 1; a >= 0; a -= 1) {
      var i = byDegree[a], n = nodes[i], r = radius(n) + 3;
      if (!visible(i)) { continue; }
      var dx = sx(n) - px, dy = sy(n) - py;
      if (dx * dx + dy * dy <= r * r) { return i; }
    }
    return null;
  }

  function edgeAt(px, py) {
    var best = null, bestD = 25;  // within 5 px
    edges.forEach(function (e, i) {
      if (!visible(e.s) || !visible(e.t)) { return; }
      var ax = sx(nodes[e.s]), ay = sy(nodes[e.s]), bx = sx(nodes[e.t]), by = sy(nodes[e.t]);
      var vx = bx - ax, vy = by - ay, len = vx * vx + vy * vy;
      var t = len ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len)) : 0;
      var dx = ax + t * vx - px, dy = ay + t * vy - py, d = dx * dx + dy * dy;
      if (d < bestD) { best = i; bestD = d; }
    });
    return best;
  }

  function itemAt(px, py) {
    var i = nodeAt(px, py);
    if (i !== null) { return { kind: "node", i: i }; }
    var e = edgeAt(px, py);
    return e === null ? null : { kind: "edge", i: e };
  }

  function safeLink(url) {
    if (/^https?:\/\//i.test(url)) {
      var a = el("a", url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", url);
  }

  function neighbourList(i) {
    var list = el("ul", null, "links"), seen = new Set();
    neighbours[i].forEach(function (ei) {
      var e = edges[ei], other = e.s === i ? e.t : e.s;
      if (seen.has(other) || seen.size >= 15) { return; }
      seen.add(other);
      var button = el("button", (e.s === i ? "→ " : "← ") + e.type + ": " + nodes[other].label);
      button.type = "button";
      button.addEventListener("click", function () { select({ kind: "node", i: other }); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    return list;
  }

  function nodeCard(i) {
    var n = nodes[i], parts = [el("h2", n.label)];
    var kind = el("p", null, "kind"), swatch = el("span", null, "swatch");
    swatch.style.background = colour(n.type);
    kind.appendChild(swatch);
    kind.appendChild(document.createTextNode(" " + n.type + " · " + n.id));
    parts.push(kind);
    var dl = el("dl");
    n.card.forEach(function (field) {
      dl.appendChild(el("dt", field[0]));
      var dd = el("dd");
      dd.appendChild(field[0] === "Location" ? safeLink(field[1]) : el("span", field[1]));
      dl.appendChild(dd);
    });
    dl.appendChild(el("dt", "Connections"));
    dl.appendChild(el("dd", neighbours[i].length + " drawn"));
    parts.push(dl, neighbourList(i));
    return parts;
  }

  function edgeCard(ei) {
    var e = edges[ei], parts = [el("h2", nodes[e.s].label + " → " + nodes[e.t].label)];
    parts.push(el("p", e.type + (e.n > 1 ? " · " + e.n + " times" : ""), "kind"));
    if (!e.ev.length) {
      parts.push(el("p", "No evidence sentence (a vocabulary or record link).", "hint"));
    }
    e.ev.forEach(function (ev) {
      parts.push(el("blockquote", ev.text));
      var doc = docs[ev.doc], from = el("p", "— ", "from");
      from.appendChild(document.createTextNode(doc ? doc.label : ev.doc));
      if (doc && doc.url && doc.url !== doc.label) {
        from.appendChild(document.createTextNode(" · "));
        from.appendChild(safeLink(doc.url));
      }
      parts.push(from);
    });
    if (e.n > e.ev.length && e.ev.length) {
      parts.push(el("p", (e.n - e.ev.length) + " more in the library.", "hint"));
    }
    return parts;
  }

  function showCard() {
    var item = hover || selected;
    if (!item) {
      card.replaceChildren(el("p", "Hover or click a node or an edge.", "hint"));
      return;
    }
    var parts = item.kind === "node" ? nodeCard(item.i) : edgeCard(item.i);
    card.replaceChildren.apply(card, parts);
  }

  function select(item) {
    selected = item;
    hover = null;
    showCard();
    redraw();
  }

  function centreOn(i) {
    var n = nodes[i];
    view.k = Math.max(view.k, view.fit * 3);
    view.x = canvas.clientWidth / 2 - n.x * view.k;
    view.y = canvas.clientHeight / 2 - n.y * view.k;
  }

  function search(query) {
    var q = query.trim().toLowerCase();
    matches = new Set();
    if (q) {
      nodes.forEach(function (n, i) {
        if (n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0) {
          matches.add(i);
        }
      });
    }
    statusLine.textContent = q ? matches.size + (matches.size === 1 ? " match" : " matches") : "";
    redraw();
  }

  function buildLegend() {
    var legend = document.getElementById("legend"), counts = {};
    nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (type) {
      var button = el("button"), swatch = el("span", null, "swatch");
      button.type = "button";
      button.title = "Show or hide " + type + " nodes";
      swatch.style.background = colour(type);
      button.appendChild(swatch);
      button.appendChild(document.createTextNode(type + " (" + counts[type] + ")"));
      button.addEventListener("click", function () {
        if (hidden.has(type)) { hidden.delete(type); } else { hidden.add(type); }
        button.classList.toggle("off", hidden.has(type));
        redraw();
      });
      legend.appendChild(button);
    });
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    var p = point(event);
    drag = { x: p.x, y: p.y, vx: view.x, vy: view.y, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", function (event) {
    var p = point(event);
    if (drag) {
      if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 3) { drag.moved = true; }
      if (drag.moved) {
        canvas.classList.add("dragging");
        view.x = drag.vx + p.x - drag.x;
        view.y = drag.vy + p.y - drag.y;
        redraw();
      }
      return;
    }
    var item = itemAt(p.x, p.y), before = hover;
    hover = item;
    if ((before && before.kind + before.i) !== (item && item.kind + item.i)) {
      showCard();
      redraw();
    }
  });
  canvas.addEventListener("pointerup", function (event) {
    var p = point(event), clicked = drag && !drag.moved;
    drag = null;
    canvas.classList.remove("dragging");
    if (clicked) { select(itemAt(p.x, p.y)); }
  });
  canvas.addEventListener("pointerleave", function () {
    if (hover) { hover = null; showCard(); redraw(); }
  });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event), factor = Math.exp(-event.deltaY * 0.0015);
    var k = Math.min(view.fit * 200, Math.max(view.fit / 10, view.k * factor));
    view.x = p.x - (p.x - view.x) * (k / view.k);
    view.y = p.y - (p.y - view.y) * (k / view.k);
    view.k = k;
    redraw();
  }, { passive: false });

  var searchBox = document.getElementById("search");
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !matches.size) { return; }
    var first = byDegree.filter(function (i) { return matches.has(i); })[0];
    centreOn(first);
    select({ kind: "node", i: first });
  });
  document.getElementById("fit").addEventListener("click", function () { fit(); redraw(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { select(null); }
  });
  window.addEventListener("resize", function () { resize(); redraw(); });

  // A link to the page can name what to show: #node=ID or #edge=SOURCE|TARGET|TYPE.
  function fromHash() {
    var hash = decodeURIComponent(window.location.hash.slice(1)), ids = new Map();
    nodes.forEach(function (n, i) { ids.set(n.id, i); });
    if (hash.indexOf("node=") === 0 && ids.has(hash.slice(5))) {
      centreOn(ids.get(hash.slice(5)));
      return { kind: "node", i: ids.get(hash.slice(5)) };
    }
    if (hash.indexOf("edge=") === 0) {
      var want = hash.slice(5).split("|");
      for (var i = 0; i < edges.length; i += 1) {
        var e = edges[i];
        if (nodes[e.s].id === want[0] && nodes[e.t].id === want[1] && e.type === want[2]) {
          return { kind: "edge", i: i };
        }
      }
    }
    return null;
  }

  document.getElementById("note").textContent = meta.note;
  buildLegend();
  resize();
  fit();
  selected = fromHash();
  showCard();
  draw();
}());
