/* Interactive findings table for report.html.
 *
 * Reads the findings embedded as JSON in the element #findings-data (type application/json),
 * filters, sorts, searches and pages them, and renders one page of rows at a time, so a
 * 100,000-finding fleet never puts 100,000 rows in the DOM.
 *
 * Security: every value from the inventory or the rules is written with textContent or
 * setAttribute on a fixed attribute name, never through innerHTML, so markup in a site name
 * or serial is shown as text. The page's CSP allows this script by hash only and forbids any
 * network request.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var dataNode = document.getElementById("findings-data");
  var explorer = document.getElementById("explorer");
  if (!dataNode || !explorer) { return; }
  var D = JSON.parse(dataNode.textContent);
  var S = D.strings, R = D.rules, ROWS = D.rows;
  var SEV = ["info", "low", "medium", "high", "critical"];
  // Row layout (see auditor/formats/html_format.py): rule, severity, waived, asset, file, line, site, message, evidence,
  // fingerprint, then optionally waiver, new (1 new / 0 unchanged against the baseline, -1 none) and note.
  var C_RULE = 0, C_SEV = 1, C_WAIVED = 2, C_ASSET = 3, C_FILE = 4, C_LINE = 5, C_SITE = 6, C_MSG = 7, C_EV = 8, C_FP = 9,
      C_WAIVER = 10, C_NEW = 11, C_NOTE = 12;
  var BASELINE = !!D.baseline;
  function isNew(r) { return r.length > C_NEW && r[C_NEW] === 1 ? 1 : 0; }
  function noteOf(r) { return r.length > C_NOTE ? r[C_NOTE] : -1; }
  // Findings on REJECTED rows (not audited; their party names screened all the same), listed
  // beside the rows as [row index, reason string index]: row index -> reason.
  var REJECTED = {};
  (D.rejected || []).forEach(function (p) { REJECTED[p[0]] = p[1]; });
  function rejectedOf(i) { return REJECTED.hasOwnProperty(i) ? REJECTED[i] : -1; }
  function onRejected(i) { return rejectedOf(i) >= 0 ? 1 : 0; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function str(i) { return i < 0 ? "" : S[i]; }
  function fmt(n) { return n.toLocaleString("en-US"); }

  var state = { severity: "", kind: "", rule: "", site: "", status: "", change: "", row: "", query: "", sort: "", dir: 1,
    page: 0, size: 50 };
  var view = null;     // Int32Array of row indices after filtering and sorting
  var hay = null;      // lower-case search text per row, built on first search
  var expanded = {};   // row index -> true

  var q = function (id) { return document.getElementById(id); };
  var controls = {
    severity: q("f-severity"), kind: q("f-kind"), rule: q("f-rule"), site: q("f-site"), status: q("f-status")
  };
  if (BASELINE && q("f-change")) { controls.change = q("f-change"); }
  if (q("f-row")) { controls.row = q("f-row"); }
  var search = q("f-search"), tbody = q("findings-body"), countNode = q("result-count"),
      pageNode = q("page-label"), prev = q("page-prev"), next = q("page-next"), sizeSel = q("page-size"),
      reset = q("f-reset");

  function addOptions(select, pairs) {
    pairs.forEach(function (p) {
      var o = el("option", null, p[1]);
      o.value = p[0];
      select.appendChild(o);
    });
  }

  // Option lists with counts, computed once.
  (function fillControls() {
    var bySev = [0, 0, 0, 0, 0], byKind = {}, byRule = {}, bySite = {}, waived = 0, fresh = 0, rejected = 0, i, r;
    for (i = 0; i < ROWS.length; i++) {
      r = ROWS[i];
      bySev[r[C_SEV]]++;
      var kind = R[r[C_RULE]].kind;
      byKind[kind] = (byKind[kind] || 0) + 1;
      byRule[r[C_RULE]] = (byRule[r[C_RULE]] || 0) + 1;
      bySite[r[C_SITE]] = (bySite[r[C_SITE]] || 0) + 1;
      waived += r[C_WAIVED];
      fresh += isNew(r);
      rejected += onRejected(i);
    }
    var pairs = [];
    for (i = SEV.length - 1; i >= 0; i--) { if (bySev[i]) { pairs.push([String(i), SEV[i] + " (" + fmt(bySev[i]) + ")"]); } }
    addOptions(controls.severity, pairs);
    addOptions(controls.kind, Object.keys(byKind).sort().map(function (k) { return [k, k.replace("_", " ") + " (" + fmt(byKind[k]) + ")"]; }));
    addOptions(controls.rule, Object.keys(byRule).map(Number).sort(function (a, b) { return a - b; }).map(function (k) {
      return [String(k), R[k].id + " — " + R[k].title + " (" + fmt(byRule[k]) + ")"];
    }));
    addOptions(controls.site, Object.keys(bySite).map(Number).sort(function (a, b) {
      return str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0;
    }).map(function (k) { return [String(k), (k < 0 ? "(no site)" : str(k)) + " (" + fmt(bySite[k]) + ")"]; }));
    addOptions(controls.status, [["0", "open (" + fmt(ROWS.length - waived) + ")"], ["1", "waived (" + fmt(waived) + ")"]]);
    if (controls.change) {
      addOptions(controls.change, [["1", "new (" + fmt(fresh) + ")"], ["0", "unchanged (" + fmt(ROWS.length - fresh) + ")"]]);
    }
    if (controls.row) {
      addOptions(controls.row, [["0", "audited rows (" + fmt(ROWS.length - rejected) + ")"],
                                ["1", "rejected rows (" + fmt(rejected) + ")"]]);
    }
  })();

  function buildHay() {
    hay = new Array(ROWS.length);
    for (var i = 0; i < ROWS.length; i++) {
      var r = ROWS[i];
      hay[i] = (r[C_ASSET] + "\u0000" + str(r[C_SITE]) + "\u0000" + R[r[C_RULE]].id + "\u0000" + str(r[C_MSG]) +
        "\u0000" + str(r[C_FILE]) + ":" + r[C_LINE] + "\u0000" + r[C_FP] +
        (onRejected(i) ? "\u0000rejected row\u0000" + str(rejectedOf(i)) : "")).toLowerCase();
    }
  }

  var SORTERS = {
    severity: function (a, b) { return ROWS[a][C_SEV] - ROWS[b][C_SEV]; },
    rule: function (a, b) { return ROWS[a][C_RULE] - ROWS[b][C_RULE]; },
    asset: function (a, b) { var x = ROWS[a][C_ASSET], y = ROWS[b][C_ASSET]; return x < y ? -1 : x > y ? 1 : 0; },
    site: function (a, b) { var x = str(ROWS[a][C_SITE]), y = str(ROWS[b][C_SITE]); return x < y ? -1 : x > y ? 1 : 0; },
    location: function (a, b) {
      var x = str(ROWS[a][C_FILE]), y = str(ROWS[b][C_FILE]);
      return x < y ? -1 : x > y ? 1 : ROWS[a][C_LINE] - ROWS[b][C_LINE];
    },
    message: function (a, b) { var x = str(ROWS[a][C_MSG]), y = str(ROWS[b][C_MSG]); return x < y ? -1 : x > y ? 1 : 0; }
  };

  function compute() {
    var sev = state.severity === "" ? -1 : +state.severity, rule = state.rule === "" ? -1 : +state.rule,
        site = state.site === "" ? null : +state.site, st = state.status === "" ? -1 : +state.status,
        ch = state.change === "" ? -1 : +state.change, rj = state.row === "" ? -1 : +state.row,
        kind = state.kind, text = state.query.trim().toLowerCase();
    if (text && !hay) { buildHay(); }
    var out = new Int32Array(ROWS.length), n = 0;
    for (var i = 0; i < ROWS.length; i++) {
      var r = ROWS[i];
      if (sev >= 0 && r[C_SEV] !== sev) { continue; }
      if (rule >= 0 && r[C_RULE] !== rule) { continue; }
      if (site !== null && r[C_SITE] !== site) { continue; }
      if (st >= 0 && r[C_WAIVED] !== st) { continue; }
      if (ch >= 0 && isNew(r) !== ch) { continue; }
      if (rj >= 0 && onRejected(i) !== rj) { continue; }
      if (kind && R[r[C_RULE]].kind !== kind) { continue; }
      if (text && hay[i].indexOf(text) < 0) { continue; }
      out[n++] = i;
    }
    view = out.subarray(0, n);
    if (state.sort) {
      var cmp = SORTERS[state.sort], dir = state.dir;
      // Stable: ties keep report order (severity, rule, file, line).
      view = Int32Array.from(view).sort(function (a, b) { return dir * cmp(a, b) || a - b; });
    } else if (BASELINE) {
      // Default order with a baseline: most severe first, then by rule, new findings first, then report order.
      view = Int32Array.from(view).sort(function (a, b) {
        return ROWS[b][C_SEV] - ROWS[a][C_SEV] || ROWS[a][C_RULE] - ROWS[b][C_RULE] ||
          isNew(ROWS[b]) - isNew(ROWS[a]) || a - b;
      });
    }
  }

  function detailRow(i) {
    var r = ROWS[i], rule = R[r[C_RULE]];
    var tr = el("tr", "detail"), td = el("td");
    td.colSpan = 7;
    var dl = el("dl");
    function item(k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", "mono", v)); }
    var ev = {};
    try { ev = JSON.parse(str(r[C_EV])); } catch (e) { ev = { evidence: str(r[C_EV]) }; }
    Object.keys(ev).sort().forEach(function (k) {
      var v = ev[k];
      item(k, v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
    });
    item("fingerprint", r[C_FP]);
    item("rule", rule.id + " (version " + rule.version + ") — " + rule.title);
    if (r.length > C_WAIVER && r[C_WAIVER] >= 0) { item("waiver", str(r[C_WAIVER])); }
    if (noteOf(r) >= 0) { item("waiver note", str(noteOf(r)) + " — reopened"); }
    if (BASELINE) { item("since baseline", isNew(r) ? "new" : "unchanged"); }
    if (onRejected(i)) {
      item("rejected row", str(rejectedOf(i)) + " — not audited; its party names were screened all the same");
    }
    td.appendChild(el("h4", null, "Evidence"));
    td.appendChild(dl);
    if (rule.refs.length) {
      td.appendChild(el("h4", null, "Sources"));
      var ul = el("ul", "cites");
      rule.refs.forEach(function (ref) {
        var li = el("li", null, ref[0]);
        if (ref[1]) { li.appendChild(el("span", "url", " <" + ref[1] + ">")); }
        ul.appendChild(li);
      });
      td.appendChild(ul);
    }
    if (rule.remediation) { td.appendChild(el("p", "remediation", "Remediation: " + rule.remediation)); }
    tr.appendChild(td);
    return tr;
  }

  function render() {
    var total = view.length, pages = Math.max(1, Math.ceil(total / state.size));
    if (state.page >= pages) { state.page = pages - 1; }
    var start = state.page * state.size, end = Math.min(total, start + state.size);
    var frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var i = view[k], r = ROWS[i], sev = SEV[r[C_SEV]], rule = R[r[C_RULE]];
      var tr = el("tr", "finding sev-" + sev + (isNew(r) ? " is-new" : "") + (onRejected(i) ? " on-rejected" : ""));
      tr.setAttribute("data-row", String(i));
      var tdx = el("td", "expand"), btn = el("button", "toggle", expanded[i] ? "−" : "+");
      btn.type = "button";
      btn.setAttribute("aria-expanded", expanded[i] ? "true" : "false");
      btn.setAttribute("aria-label", "Evidence for " + r[C_ASSET]);
      btn.setAttribute("data-row", String(i));
      tdx.appendChild(btn);
      tr.appendChild(tdx);
      var badge = el("span", "badge sev-" + sev, sev);
      var tds = el("td"); tds.appendChild(badge);
      if (r[C_WAIVED]) { tds.appendChild(el("span", "waived", " waived")); }
      if (isNew(r)) { tds.appendChild(document.createTextNode(" ")); tds.appendChild(el("span", "badge-new", "new")); }
      tr.appendChild(tds);
      tr.appendChild(el("td", "mono nowrap", rule.id));
      tr.appendChild(el("td", "mono asset nowrap", r[C_ASSET]));
      tr.appendChild(el("td", "site", str(r[C_SITE])));
      var tdl = el("td", "mono loc", str(r[C_FILE]) + ":" + r[C_LINE]);
      if (onRejected(i)) {
        // As the static tables say it ("file:line (rejected row)"); the reason on hover and in the evidence.
        var mark = el("span", "rejected-row", "(rejected row)");
        mark.setAttribute("title", "Rejected from the audit: " + str(rejectedOf(i)));
        tdl.appendChild(document.createTextNode(" "));
        tdl.appendChild(mark);
      }
      tr.appendChild(tdl);
      var tdm = el("td", "msg", str(r[C_MSG]));
      if (noteOf(r) >= 0) { tdm.appendChild(el("span", "waiver-note", str(noteOf(r)) + " — reopened")); }
      tr.appendChild(tdm);
      frag.appendChild(tr);
      if (expanded[i]) { frag.appendChild(detailRow(i)); }
    }
    tbody.replaceChildren(frag);
    countNode.textContent = total === 0 ? "No finding matches these filters (" + fmt(ROWS.length) + " in all)." :
      "Showing " + fmt(start + 1) + "–" + fmt(end) + " of " + fmt(total) + " matching findings (" + fmt(ROWS.length) + " in all).";
    pageNode.textContent = "Page " + fmt(state.page + 1) + " of " + fmt(pages);
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    Array.prototype.forEach.call(document.querySelectorAll("#findings-table th[data-sort]"), function (th) {
      var key = th.getAttribute("data-sort");
      th.setAttribute("aria-sort", state.sort === key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
  }

  function refresh() { state.page = 0; compute(); render(); }

  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener("change", function () { state[k] = controls[k].value; refresh(); });
  });
  search.addEventListener("input", function () { state.query = search.value; refresh(); });
  sizeSel.addEventListener("change", function () { state.size = +sizeSel.value; refresh(); });
  prev.addEventListener("click", function () { state.page -= 1; render(); });
  next.addEventListener("click", function () { state.page += 1; render(); });
  reset.addEventListener("click", function () {
    Object.keys(controls).forEach(function (k) { controls[k].value = ""; state[k] = ""; });
    search.value = ""; state.query = ""; state.sort = ""; state.dir = 1; expanded = {};
    refresh();
  });
  Array.prototype.forEach.call(document.querySelectorAll("#findings-table th[data-sort] button"), function (b) {
    b.addEventListener("click", function () {
      var key = b.parentNode.getAttribute("data-sort");
      if (state.sort === key) { state.dir = -state.dir; } else { state.sort = key; state.dir = key === "severity" ? -1 : 1; }
      refresh();
    });
  });
  tbody.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.classList || !t.classList.contains("toggle")) { return; }
    var i = +t.getAttribute("data-row");
    if (expanded[i]) { delete expanded[i]; } else { expanded[i] = true; }
    render();
  });
  // "Show in table" on each rule section filters the table to that rule.
  var ruleIndex = {};
  R.forEach(function (rule, k) { ruleIndex[rule.id] = String(k); });
  Array.prototype.forEach.call(document.querySelectorAll("article.rule[data-rule]"), function (art) {
    var idx = ruleIndex[art.getAttribute("data-rule")];
    if (idx === undefined) { return; }
    var b = el("button", "show-rule", "Show these findings in the interactive table");
    b.type = "button";
    b.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].value = ""; state[k] = ""; });
      controls.rule.value = state.rule = idx;
      refresh();
      explorer.scrollIntoView();
    });
    art.insertBefore(b, art.querySelector("table.findings") || null);
  });

  explorer.hidden = false;
  compute();
  render();
  root.setAttribute("data-ready", "true");
})();
