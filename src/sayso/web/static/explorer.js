// The corpus explorer: views over /api/* of a store, drawn with DOM nodes and plain SVG (textContent only).
"use strict";
(function (ns) {
  const { el, svg, clear, pct } = ns;
  const view = () => document.getElementById("view");
  const SHARES = [["named_share", "named source", "#4a9a4a"], ["anonymous_share", "anonymous", "#d08a20"], ["unsourced_share", "unsourced", "#8080a0"], ["evaluative_share", "evaluative", "#c04040"]];

  function status(msg, isError) { const s = document.getElementById("status"); s.textContent = msg || ""; s.className = isError ? "error" : ""; }

  function route() {
    const hash = window.location.hash.replace(/^#/, "") || "outlets";
    const [name, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    const views = { outlets: outlets, sources: sources, source: source, articles: articles, search: search, anonymous: anonymous };
    status("Loading…");
    (views[name] || outlets)(params).then(function () { status(""); }, function (err) { status("Error: " + err.message, true); });
  }

  function articleLink(id, title) { return el("a", { href: "/?article=" + encodeURIComponent(id) }, title || id); }

  function table(columns, rows) {
    const t = el("table");
    const tr = el("tr");
    for (const c of columns) tr.appendChild(el("th", { scope: "col" }, c[1]));
    t.appendChild(el("thead")).appendChild(tr);
    const body = el("tbody");
    for (const r of rows) {
      const row = el("tr");
      for (const c of columns) {
        const v = c[2] ? c[2](r) : r[c[0]];
        const td = el("td", typeof r[c[0]] === "number" ? { "class": "num" } : null);
        if (v instanceof Node) td.appendChild(v); else td.textContent = v === null || v === undefined ? "" : String(v);
        row.appendChild(td);
      }
      body.appendChild(row);
    }
    t.appendChild(body);
    return t;
  }

  function pager(data, params, name) {
    const p = el("p", { "class": "pager" });
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    p.appendChild(document.createTextNode("page " + data.page + " of " + pages + " (" + data.total + ") "));
    function go(n) { const q = new URLSearchParams(params); q.set("page", String(n)); window.location.hash = name + "?" + q.toString(); }
    if (data.page > 1) { const b = el("button", { type: "button" }, "previous"); b.addEventListener("click", function () { go(data.page - 1); }); p.appendChild(b); }
    if (data.page < pages) { const b = el("button", { type: "button" }, "next"); b.addEventListener("click", function () { go(data.page + 1); }); p.appendChild(b); }
    return p;
  }

  function searchForm(name, params, fields) {
    const f = el("form", { role: "search" });
    for (const [key, label] of fields) {
      const id = "q-" + key;
      f.appendChild(el("label", { "for": id }, label));
      const input = el("input", { id: id, type: "search", name: key });
      input.value = params.get(key) || "";
      f.appendChild(input);
    }
    f.appendChild(el("button", { type: "submit" }, "Search"));
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const q = new URLSearchParams();
      for (const [key] of fields) { const v = f.elements[key].value.trim(); if (v) q.set(key, v); }
      window.location.hash = name + "?" + q.toString();
    });
    return f;
  }

  async function outlets() {
    const rows = await ns.getJSON("/api/outlets");
    const v = clear(view());
    v.appendChild(el("h2", null, "Outlets compared: share of sentences"));
    const barH = 12, groupH = SHARES.length * barH + 14, left = 180, width = 420;
    const chart = svg("svg", { width: left + width + 60, height: rows.length * groupH + 30, role: "img", "aria-label": "Sourcing shares by outlet" });
    rows.forEach(function (r, i) {
      const y0 = 20 + i * groupH;
      chart.appendChild(svg("text", { x: 0, y: y0 + barH * 2 }, r.outlet));
      SHARES.forEach(function (s, j) {
        const val = r[s[0]] || 0;
        const rect = svg("rect", { x: left, y: y0 + j * barH, width: Math.max(0, val * width), height: barH - 2, fill: s[2] });
        rect.appendChild(svg("title", null, r.outlet + ": " + s[1] + " " + pct(r[s[0]])));
        chart.appendChild(rect);
        chart.appendChild(svg("text", { x: left + val * width + 4, y: y0 + j * barH + barH - 3 }, pct(r[s[0]])));
      });
    });
    SHARES.forEach(function (s, j) {
      chart.appendChild(svg("rect", { x: left + j * 110, y: 2, width: 10, height: 10, fill: s[2] }));
      chart.appendChild(svg("text", { x: left + j * 110 + 14, y: 11 }, s[1]));
    });
    v.appendChild(chart);
    v.appendChild(table([["outlet", "outlet", function (r) { const a = el("a", { href: "#articles?outlet=" + encodeURIComponent(r.outlet) }, r.outlet); return a; }], ["articles", "articles"], ["sentences", "sentences"],
      ["named_share", "named", function (r) { return pct(r.named_share); }], ["anonymous_share", "anonymous", function (r) { return pct(r.anonymous_share); }],
      ["unsourced_share", "unsourced", function (r) { return pct(r.unsourced_share); }], ["evaluative_share", "evaluative", function (r) { return pct(r.evaluative_share); }]], rows));
  }

  async function sources(params) {
    const q = new URLSearchParams({ page: params.get("page") || "1" });
    if (params.get("q")) q.set("q", params.get("q"));
    const data = await ns.getJSON("/api/sources?" + q.toString());
    const v = clear(view());
    v.appendChild(el("h2", null, "Sources quoted most"));
    v.appendChild(searchForm("sources", params, [["q", "Name contains"]]));
    v.appendChild(table([["name", "source", function (r) { return el("a", { href: "#source?name=" + encodeURIComponent(r.name) }, r.name); }],
      ["type", "type"], ["roles", "roles", function (r) { return (r.roles || []).join("; "); }], ["attributions", "attributions"], ["articles", "articles"]], data.items));
    v.appendChild(pager(data, params, "sources"));
  }

  async function source(params) {
    const name = params.get("name") || "";
    const q = new URLSearchParams({ page: params.get("page") || "1" });
    const data = await ns.getJSON("/api/sources/" + encodeURIComponent(name) + "?" + q.toString());
    const v = clear(view());
    v.appendChild(el("h2", null, name));
    v.appendChild(el("p", null, data.total + " attributions"));
    v.appendChild(table([["title", "article", function (r) { return articleLink(r.article_id, r.title); }], ["outlet", "outlet"], ["published", "published"],
      ["source_text", "as"], ["cue_text", "cue"], ["content_text", "said"], ["channel_text", "channel"]], data.items));
    v.appendChild(pager(data, params, "source"));
  }

  async function articles(params) {
    const q = new URLSearchParams({ page: params.get("page") || "1" });
    for (const k of ["q", "outlet", "source", "since", "until"]) if (params.get(k)) q.set(k, params.get(k));
    const data = await ns.getJSON("/api/articles?" + q.toString());
    const v = clear(view());
    v.appendChild(el("h2", null, "Articles"));
    v.appendChild(searchForm("articles", params, [["q", "Words"], ["outlet", "Outlet"], ["since", "Published on or after (YYYY-MM-DD)"], ["until", "Published on or before"]]));
    v.appendChild(table([["title", "article", function (r) { return articleLink(r.id, r.title); }], ["outlet", "outlet"], ["published", "published"], ["sentences", "sentences"],
      ["named_share", "named", function (r) { return pct(r.named_share); }], ["anonymous", "anonymous"], ["hedged", "hedged"], ["asserted", "asserted"], ["evaluative", "evaluative"]], data.items));
    v.appendChild(pager(data, params, "articles"));
  }

  async function search(params) {
    const v = clear(view());
    v.appendChild(el("h2", null, "Search sentences and what sources said"));
    v.appendChild(searchForm("search", params, [["q", "Words"]]));
    if (!params.get("q")) return;
    const data = await ns.getJSON("/api/search?" + new URLSearchParams({ q: params.get("q"), page: params.get("page") || "1" }).toString());
    v.appendChild(table([["title", "article", function (r) { return articleLink(r.article_id, r.title); }], ["status", "status"], ["text", "sentence"], ["sources", "sources"]], data.items));
    v.appendChild(pager(data, params, "search"));
  }

  async function anonymous() {
    const rows = await ns.getJSON("/api/anonymous");
    const v = clear(view());
    v.appendChild(el("h2", null, "Anonymous sourcing by month"));
    const dated = rows.filter(function (r) { return r.month !== "(undated)"; });
    const W = 600, H = 220, pad = 40;
    const chart = svg("svg", { width: W + pad * 2, height: H + pad * 2, role: "img", "aria-label": "Share of sentences from anonymous sources, by month" });
    const maxY = Math.max(0.05, Math.max.apply(null, dated.map(function (r) { return r.anonymous_share || 0; }).concat([0])));
    chart.appendChild(svg("line", { x1: pad, y1: pad + H, x2: pad + W, y2: pad + H, stroke: "#444" }));
    chart.appendChild(svg("line", { x1: pad, y1: pad, x2: pad, y2: pad + H, stroke: "#444" }));
    chart.appendChild(svg("text", { x: 2, y: pad - 6 }, pct(maxY)));
    const pts = dated.map(function (r, i) {
      const x = pad + (dated.length > 1 ? i * W / (dated.length - 1) : W / 2);
      const y = pad + H - (r.anonymous_share || 0) / maxY * H;
      return [x, y, r];
    });
    if (pts.length) chart.appendChild(svg("polyline", { points: pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "), fill: "none", stroke: "#d08a20", "stroke-width": 2 }));
    for (const [x, y, r] of pts) {
      const c = svg("circle", { cx: x, cy: y, r: 3, fill: "#d08a20" });
      c.appendChild(svg("title", null, r.month + ": " + pct(r.anonymous_share)));
      chart.appendChild(c);
      chart.appendChild(svg("text", { x: x - 18, y: pad + H + 16 }, r.month));
    }
    v.appendChild(chart);
    v.appendChild(table([["month", "month"], ["articles", "articles"], ["anonymous_sentences", "anonymous sentences"],
      ["anonymous_share", "anonymous share", function (r) { return pct(r.anonymous_share); }], ["named_share", "named share", function (r) { return pct(r.named_share); }]], rows));
  }

  // the store says which views it has (stories and drift join once their tables exist)
  async function start() {
    try {
      const info = await ns.getJSON("/api/corpus");
      for (const a of document.querySelectorAll("#views a[data-view]")) a.hidden = info.views.indexOf(a.dataset.view) < 0;
      document.getElementById("views").insertBefore(el("span", null, info.articles + " articles: "), document.getElementById("views").firstChild);
    } catch (err) {
      status("Error: " + err.message, true);
      return;
    }
    window.addEventListener("hashchange", route);
    route();
  }

  document.addEventListener("DOMContentLoaded", start);
})(window.sayso);
