// Shared by the article page and the explorer: DOM building with textContent only (never innerHTML).
"use strict";
window.sayso = window.sayso || {};
(function (ns) {
  ns.el = function (tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  ns.svg = function (tag, attrs, text) {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  // invisible and bidi-control characters shown by code point, so that a finding about them can be read
  ns.visible = function (text) {
    return String(text).replace(/\p{Cf}/gu, function (c) { return "⟨U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "⟩"; });
  };
  ns.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  ns.pct = function (x) { return (x === null || x === undefined) ? "–" : (100 * x).toFixed(1) + "%"; };
  ns.getJSON = async function (url, init) {
    const resp = await fetch(url, Object.assign({ credentials: "same-origin" }, init || {}));
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) throw new Error((body && body.detail) ? String(body.detail) : ("HTTP " + resp.status));
    return body;
  };
})(window.sayso);
