// The article page: send the article to /api/analyze (or load one from the store), render the report.
// Every piece of article text goes into the page through textContent.
"use strict";
(function (ns) {
  const { el, clear } = ns;
  const STATUS_WORDS = {
    attributed: "attributed to a named source",
    anonymous: "from an anonymous source",
    hedged: "hedged by the outlet",
    asserted: "asserted by the outlet (unsourced)",
  };
  const MARK_WORDS = {
    source: "source", cue: "attribution cue", content: "what was said", channel: "channel",
    hedge: "hedge", weasel: "weasel words", anonymous: "anonymous source cue", undisclosed: "undisclosed source",
    evaluative: "evaluative (outlet's own judgement)", prediction: "prediction", integrity: "text integrity finding",
    model: "uncertain (a model's judgement of the whole sentence)",
  };
  const MAX_BYTES = 10 * 1024 * 1024;
  let current = null;
  const marksAt = new WeakMap();  // focusable token -> the marks that start there

  function setStatus(msg, isError) {
    const s = document.getElementById("status");
    s.textContent = msg;
    s.className = isError ? "error" : "";
  }

  async function analyse(body) {
    const published = document.getElementById("published").value.trim();
    if (published) body.published = published;
    setStatus("Analysing…");
    try {
      const report = await ns.getJSON("/api/analyze", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      render(report);
      setStatus("");
    } catch (err) {
      setStatus("Error: " + err.message, true);
    }
  }

  function onSubmit(ev) {
    ev.preventDefault();
    const url = document.getElementById("url").value.trim();
    const text = document.getElementById("text").value;
    if (url) analyse({ url: url });
    else if (text.trim()) analyse({ text: text });
    else setStatus("Paste an article, give a URL or upload a file.", true);
  }

  function onFile(ev) {
    const file = ev.target.files && ev.target.files[0];
    if (!file) return;
    if (file.size > MAX_BYTES) { setStatus("File too large: the limit is 10 MB.", true); return; }
    const reader = new FileReader();
    reader.onload = function () {
      const isHtml = /\.html?$/i.test(file.name) || /html/.test(file.type);
      analyse(isHtml ? { html: String(reader.result), id: file.name.replace(/\.[^.]*$/, "") } : { text: String(reader.result), id: file.name.replace(/\.[^.]*$/, "") });
    };
    reader.onerror = function () { setStatus("Cannot read that file.", true); };
    reader.readAsText(file);
  }

  // ---- marks: every span drawn under the text, with a row each where they overlap ----
  function collectMarks(report) {
    const byKey = new Map();
    function add(kind, span, info) {
      if (!span || span.end <= span.start) return;
      const key = kind + ":" + span.start + ":" + span.end;
      let m = byKey.get(key);
      if (!m) { m = { kind: kind, start: span.start, end: span.end, text: span.text, infos: [] }; byKey.set(key, m); }
      m.infos.push(info);
    }
    for (const a of report.attributions) {
      add("source", a.source, { attribution: a });
      add("cue", a.cue, { attribution: a });
      for (const c of a.content) add("content", c, { attribution: a });
      add("channel", a.channel, { attribution: a });
    }
    report.sentences.forEach(function (s) { for (const c of s.cues) add(c.kind, c, { cue: c }); });
    for (const f of report.integrity) add("integrity", f, { finding: f });
    const marks = Array.from(byKey.values());
    marks.sort(function (a, b) { return a.start - b.start || (b.end - b.start) - (a.end - a.start); });
    const rowEnds = [];
    for (const m of marks) {
      let r = 0;
      while (r < rowEnds.length && rowEnds[r] > m.start) r++;
      rowEnds[r] = m.end;
      m.row = Math.min(r, 5);
    }
    return marks;
  }

  function boundaries(report, marks) {
    const b = new Set([0, report.text.length]);
    for (const s of report.sentences) { b.add(s.start); b.add(s.end); }
    for (const m of marks) { b.add(m.start); b.add(m.end); }
    const re = /\n+/g;
    let x;
    while ((x = re.exec(report.text)) !== null) { b.add(x.index); b.add(x.index + x[0].length); }
    return Array.from(b).filter(function (v) { return v >= 0 && v <= report.text.length; }).sort(function (p, q) { return p - q; });
  }

  function renderText(report, marks) {
    const text = report.text;
    const root = document.createDocumentFragment();
    const bounds = boundaries(report, marks);
    const sentenceAt = new Int32Array(text.length + 1).fill(-1);
    report.sentences.forEach(function (s, i) { for (let k = s.start; k < s.end; k++) sentenceAt[k] = i; });
    const starts = new Map();
    for (const m of marks) { if (!starts.has(m.start)) starts.set(m.start, []); starts.get(m.start).push(m); }
    let active = [];  // marks covering the current piece
    let para = el("p");
    let sentEl = null, sentIdx = -1;
    let mi = 0;
    for (let bi = 0; bi < bounds.length - 1; bi++) {
      const a = bounds[bi], z = bounds[bi + 1];
      if (a === z) continue;
      const piece = text.slice(a, z);
      if (/^\n+$/.test(piece)) {
        if (para.childNodes.length) root.appendChild(para);
        para = el("p"); sentEl = null; sentIdx = -1;
        continue;
      }
      while (mi < marks.length && marks[mi].start <= a) { active.push(marks[mi]); mi++; }
      active = active.filter(function (m) { return m.end > a; });
      const si = sentenceAt[a];
      let host = para;
      if (si >= 0) {
        if (si !== sentIdx || !sentEl) {
          const s = report.sentences[si];
          sentEl = el("span", { "class": "sent " + (s.debris ? "debris" : "st-" + s.status) + (s.evaluative ? " evaluative" : ""), "data-s": String(si), "data-status": s.debris ? "debris" : s.status });
          para.appendChild(sentEl);
          sentIdx = si;
        }
        host = sentEl;
      } else { sentEl = null; sentIdx = -1; }
      if (!active.length) { host.appendChild(document.createTextNode(piece)); continue; }
      // one inline span per piece: its marks drawn as stacked underlines (one background layer per row),
      // so the text wraps as plain text does and innerText/copy keep it intact
      const rows = 1 + Math.max.apply(null, active.map(function (m) { return m.row; }));
      const tok = el("span", { "class": "tok rows-" + rows }, piece);
      tok.style.backgroundImage = active.map(function (m) { return "linear-gradient(var(--k-" + m.kind + "), var(--k-" + m.kind + "))"; }).join(", ");
      tok.style.backgroundPosition = active.map(function (m) { return "0 calc(100% - " + (m.row * 5) + "px)"; }).join(", ");
      tok.style.backgroundSize = active.map(function () { return "100% 3px"; }).join(", ");
      const startingHere = starts.get(a) || [];
      if (startingHere.length) {
        tok.classList.add("focus");
        tok.tabIndex = 0;
        tok.setAttribute("role", "button");
        tok.setAttribute("aria-describedby", "card");
        tok.dataset.kinds = startingHere.map(function (m) { return m.kind; }).join(" ");
        tok.setAttribute("aria-label", startingHere.map(function (m) { return (MARK_WORDS[m.kind] || m.kind) + ": " + m.text; }).join("; "));
        marksAt.set(tok, startingHere);
      }
      host.appendChild(tok);
    }
    if (para.childNodes.length) root.appendChild(para);
    return root;
  }

  // ---- the card: what a mark means, dismissible with Escape ----
  function entityOf(report, id) { return report.entities.find(function (e) { return e.id === id; }) || null; }

  function dl(pairs) {
    const d = el("dl");
    for (const [k, v] of pairs) { if (v === null || v === undefined || v === "") continue; d.appendChild(el("dt", null, k)); d.appendChild(el("dd", null, v)); }
    return d;
  }

  function showCard(tok) {
    const marks = marksAt.get(tok);
    if (!marks || !current) return;
    const card = clear(document.getElementById("card"));
    const seen = new Set();
    for (const m of marks) {
      for (const info of m.infos) {
        if (info.attribution) {
          const a = info.attribution;
          if (seen.has(a.id)) continue;
          seen.add(a.id);
          const ent = a.source && a.source.entity ? entityOf(current, a.source.entity) : null;
          card.appendChild(el("h3", null, "Attribution (" + a.kind + ")"));
          card.appendChild(dl([
            ["Source", a.source ? (ent && ent.name !== a.source.text ? a.source.text + " (" + ent.name + ")" : a.source.text) : "none given"],
            ["Role", ent && ent.roles.length ? ent.roles.join("; ") : null],
            ["Channel", a.channel ? a.channel.text : null],
            ["Cue", a.cue ? a.cue.text : null],
            ["Said", a.content.length ? a.content.map(function (c) { return c.text; }).join(" … ") : "(only the topic or the act of speaking)"],
            ["Time", a.time],
          ]));
        } else if (info.cue) {
          card.appendChild(el("h3", null, MARK_WORDS[info.cue.kind] || info.cue.kind));
          card.appendChild(dl([["Words", info.cue.text]]));
        } else if (info.finding) {
          card.appendChild(el("h3", null, "Text integrity: " + info.finding.kind));
          card.appendChild(dl([["Found", ns.visible(info.finding.text)], ["Suggestion", info.finding.suggestion]]));
        }
      }
    }
    card.appendChild(el("p", { "class": "meta" }, "Escape closes this card."));
    card.hidden = false;
    const r = tok.getBoundingClientRect();
    card.style.left = Math.max(8, window.scrollX + r.left) + "px";
    card.style.top = (window.scrollY + r.bottom + 6) + "px";
  }

  function hideCard() { document.getElementById("card").hidden = true; }

  // ---- the summary and the side panels ----
  function renderSummary(report) {
    const meta = report.meta || {};
    document.getElementById("title").textContent = meta.title || report.id || "Article";
    document.getElementById("meta").textContent = [meta.outlet, meta.author, meta.published ? "published " + meta.published : null, meta.url].filter(Boolean).join(" · ");
    const counts = report.profile.counts;
    const total = report.sentences.length || 1;
    const bar = clear(document.getElementById("profile-bar"));
    const legend = clear(document.getElementById("legend"));
    const described = [];
    for (const st of Object.keys(STATUS_WORDS)) {
      const n = counts[st] || 0;
      const seg = el("div", { "class": "st-" + st, title: STATUS_WORDS[st] + ": " + n });
      seg.style.width = (100 * n / total) + "%";
      bar.appendChild(seg);
      const li = el("li", { "data-status": st });
      li.appendChild(el("span", { "class": "swatch st-" + st, "aria-hidden": "true" }));
      li.appendChild(el("span", { "class": "label" }, STATUS_WORDS[st] + ": "));
      li.appendChild(el("span", { "class": "count" }, n));
      legend.appendChild(li);
      described.push(STATUS_WORDS[st] + " " + n);
    }
    bar.setAttribute("aria-label", "Sourcing profile: " + described.join(", "));
    document.getElementById("named-share").textContent = "Sentences resting on a named source: " + ns.pct(report.profile.named_share) + " · evaluative sentences: " + report.profile.evaluative;
    const ml = clear(document.getElementById("marks-legend"));
    for (const k of Object.keys(MARK_WORDS)) {
      const li = el("li");
      li.appendChild(el("span", { "class": "swatch k-" + k, "aria-hidden": "true" }));
      li.appendChild(document.createTextNode(MARK_WORDS[k]));
      ml.appendChild(li);
    }
  }

  function renderPanels(report) {
    const quoted = clear(document.getElementById("quoted"));
    const bySource = new Map();
    for (const a of report.attributions) {
      if (!a.source) continue;
      const ent = a.source.entity ? entityOf(report, a.source.entity) : null;
      const key = ent ? "e:" + ent.id : "t:" + a.source.text.toLowerCase();
      if (!bySource.has(key)) bySource.set(key, { name: ent ? ent.name : a.source.text, roles: ent ? ent.roles : [], named: !!ent, n: 0 });
      bySource.get(key).n++;
    }
    const rows = Array.from(bySource.values()).sort(function (p, q) { return q.n - p.n || p.name.localeCompare(q.name); });
    for (const s of rows) {
      const li = el("li", { "class": "quoted" });
      li.appendChild(el("strong", null, s.name));
      if (s.roles.length) li.appendChild(document.createTextNode(" — " + s.roles.join("; ")));
      li.appendChild(document.createTextNode(" — " + s.n + (s.n === 1 ? " attribution" : " attributions") + (s.named ? "" : " (not a named entity)")));
      quoted.appendChild(li);
    }
    if (!rows.length) quoted.appendChild(el("li", null, "nobody"));
    const tl = clear(document.getElementById("timeline"));
    const times = report.times.slice().sort(function (p, q) { return (p.value || "~").localeCompare(q.value || "~") || p.start - q.start; });
    for (const t of times) tl.appendChild(el("li", null, (t.value || "unresolved") + " — “" + t.text + "” (" + t.type + ")"));
    if (!times.length) tl.appendChild(el("li", null, "no time expressions"));
    const integ = clear(document.getElementById("integrity"));
    for (const f of report.integrity) integ.appendChild(el("li", null, f.kind + ": “" + ns.visible(f.text) + "”" + (f.suggestion ? " → " + f.suggestion : "")));
    if (!report.integrity.length) integ.appendChild(el("li", null, "no findings"));
  }

  function applyFilters() {
    const want = {
      unsourced: document.getElementById("f-unsourced").checked, hedged: document.getElementById("f-hedged").checked,
      evaluative: document.getElementById("f-evaluative").checked, anonymous: document.getElementById("f-anonymous").checked,
    };
    const any = Object.values(want).some(Boolean);
    const art = document.getElementById("article");
    art.classList.toggle("dim", any);
    if (!current) return;
    for (const node of art.querySelectorAll(".sent")) {
      const s = current.sentences[Number(node.dataset.s)];
      const keep = (want.unsourced && (s.status === "asserted" || s.status === "hedged")) || (want.hedged && s.status === "hedged") ||
        (want.evaluative && s.evaluative) || (want.anonymous && s.status === "anonymous");
      node.classList.toggle("out", any && !keep);
    }
  }

  function render(report) {
    const t0 = performance.now();
    current = report;
    hideCard();
    renderSummary(report);
    const marks = collectMarks(report);
    const art = clear(document.getElementById("article"));
    art.appendChild(renderText(report, marks));
    renderPanels(report);
    document.getElementById("result").hidden = false;
    applyFilters();
    document.body.dataset.renderMs = String(Math.round(performance.now() - t0));
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
  }

  function download() {
    if (!current) return;
    const blob = new Blob([JSON.stringify(current, null, 2)], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: (current.id || "report").replace(/[^\w.-]+/g, "_") + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("form").addEventListener("submit", onSubmit);
    document.getElementById("file").addEventListener("change", onFile);
    document.getElementById("download").addEventListener("click", download);
    for (const id of ["f-unsourced", "f-hedged", "f-evaluative", "f-anonymous"]) document.getElementById(id).addEventListener("change", applyFilters);
    const art = document.getElementById("article");
    art.addEventListener("focusin", function (ev) { if (marksAt.has(ev.target)) showCard(ev.target); });
    art.addEventListener("click", function (ev) { const t = ev.target.closest(".tok.focus"); if (t) { t.focus(); showCard(t); } });
    art.addEventListener("mouseover", function (ev) { const t = ev.target.closest(".tok.focus"); if (t) showCard(t); });
    art.addEventListener("focusout", function (ev) { if (!ev.relatedTarget || !marksAt.has(ev.relatedTarget)) hideCard(); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hideCard(); });
    const id = new URLSearchParams(window.location.search).get("article");
    if (id) {
      setStatus("Loading the article from the store…");
      ns.getJSON("/api/articles/" + encodeURIComponent(id)).then(function (r) { render(r); setStatus(""); }, function (err) { setStatus("Error: " + err.message, true); });
    }
  });
  ns.render = render;
})(window.sayso);
