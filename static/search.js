/* tearsheet search: plain JavaScript, no libraries.
 *
 * The home page holds <form role="search" hidden> with #search-input and
 * #search-results. This script unhides it. Served over HTTP it searches
 * the full-text index under search/ (see src/render/search/mod.rs): the
 * manifest search/index.json, then for each term of the query only its
 * shard search/t/<n>.bin, then the metadata blocks search/b/<n>.json of
 * the results it shows; filters (company, sector, tag, language) come
 * from search/filters.json when the reader opens them. Terms are cut
 * exactly as the build cuts them (src/render/search/tokens.rs).
 *
 * Opened from disk (file://) a browser refuses fetch: the script then
 * loads search-index.js with a <script> tag (titles, companies, tickers,
 * periods, tags, summaries) and says that full-text search needs the
 * site served.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  var FORMAT = 1;

  var STRINGS = {
    zh: {
      empty: "没有找到匹配的简报。",
      loading: "正在载入搜索索引…",
      unavailable: "搜索暂时不可用。",
      served: "从本地文件打开时只搜索标题、公司与摘要；全文搜索需要通过网站服务器访问（例如 tearsheet serve）。",
      filters: "筛选",
      all: "全部",
      company: "公司",
      sector: "行业",
      tag: "标签",
      lang: "语言",
      more: function (n) {
        return "另有 " + n + " 条结果，请输入更多关键词缩小范围。";
      }
    },
    en: {
      empty: "No briefs match.",
      loading: "Loading the search index…",
      unavailable: "Search is unavailable.",
      served: "Opened from disk, search covers titles, companies and summaries only; full-text search needs the site served (for example by tearsheet serve).",
      filters: "Filters",
      all: "All",
      company: "Company",
      sector: "Sector",
      tag: "Tag",
      lang: "Language",
      more: function (n) {
        return n + " more " + (n === 1 ? "result" : "results") + "; type more to narrow them down.";
      }
    }
  };
  var LANG_NAMES = { zh: "中文", en: "English" };
  var FILTERS = ["company", "sector", "tag", "lang"];

  // Found while this script runs (document.currentScript is only set then).
  var self = document.currentScript;

  function ownSrc() {
    var el = self;
    if (!el || !el.getAttribute("src")) {
      var all = document.getElementsByTagName("script");
      for (var i = 0; i < all.length; i++) {
        var s = all[i].getAttribute("src") || "";
        if (/(^|\/)search(\.[0-9a-f]+)?\.js([?#].*)?$/.test(s)) {
          el = all[i];
          break;
        }
      }
    }
    return el ? el.getAttribute("src") || "" : "";
  }

  // The site root, as written in the page: "./", "../../", "/research/", "".
  function rootOf(src) {
    src = src.replace(/[?#].*$/, "");
    return src.slice(0, src.lastIndexOf("/") + 1);
  }

  function strings(form) {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    var base = lang.indexOf("zh") === 0 ? STRINGS.zh : STRINGS.en;
    var d = (form && form.dataset) || {};
    var out = {};
    for (var k in base) {
      out[k] = d[k] || base[k];
    }
    out.more = function (n) {
      var t = n === 1 ? d.moreOne : d.more;
      return t ? t.replace("{n}", n) : base.more(n);
    };
    return out;
  }

  /* ---------- Terms: as src/render/search/tokens.rs cuts them ---------- */

  var ALNUM;
  try {
    ALNUM = new RegExp("[\\p{Alphabetic}\\p{N}]", "u");
  } catch (e) {
    ALNUM = /[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;
  }

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x20000 && cp <= 0x2ffff);
  }

  function foldChar(ch) {
    var cp = ch.codePointAt(0);
    return cp >= 0xff01 && cp <= 0xff5e ? String.fromCodePoint(cp - 0xfee0) : ch;
  }

  function isDigit(ch) {
    return ch !== undefined && ch >= "0" && ch <= "9";
  }

  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) {
      return w;
    }
    if (/ies$/.test(w) && w.length > 4) {
      return w.slice(0, -3) + "y";
    }
    if (/sses$/.test(w)) {
      return w.slice(0, -2);
    }
    if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) {
      return w.slice(0, -1);
    }
    return w;
  }

  // Every term of text, in order.
  function terms(text) {
    var chars = Array.from(String(text)).map(foldChar);
    var out = [];
    var word = "";
    var run = [];
    function flushWord() {
      if (word && Array.from(word).length <= 40) {
        out.push(stem(word.toLowerCase()));
      }
      word = "";
    }
    function flushRun() {
      for (var i = 0; i < run.length; i++) {
        out.push(run[i]);
        if (i + 1 < run.length) {
          out.push(run[i] + run[i + 1]);
        }
      }
      run = [];
    }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (isCjk(c.codePointAt(0))) {
        flushWord();
        run.push(c);
      } else if (ALNUM.test(c)) {
        flushRun();
        word += c;
      } else if ((c === "." || c === ",") && isDigit(word.slice(-1)) && isDigit(chars[i + 1])) {
        if (c === ".") {
          word += ".";
        }
      } else {
        flushWord();
        flushRun();
      }
    }
    flushWord();
    flushRun();
    return out;
  }

  function isCjkPair(t) {
    var a = t === undefined ? [] : Array.from(t);
    return a.length === 2 && isCjk(a[0].codePointAt(0)) && isCjk(a[1].codePointAt(0));
  }

  // What a query asks for: each term once; a CJK run asks for its pairs.
  function queryTerms(query) {
    var all = terms(query);
    var out = [];
    for (var i = 0; i < all.length; i++) {
      var t = all[i];
      var a = Array.from(t);
      if (a.length === 1 && isCjk(a[0].codePointAt(0)) && (isCjkPair(all[i + 1]) || (i > 0 && isCjkPair(all[i - 1])))) {
        continue;
      }
      if (out.indexOf(t) === -1) {
        out.push(t);
      }
    }
    return out;
  }

  /* ---------- The index files ---------- */

  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function shardPath(n, shards) {
    var digits = Math.floor(Math.log2(Math.max(shards - 1, 1)) / 4) + 1;
    var hex = n.toString(16);
    while (hex.length < digits) {
      hex = "0" + hex;
    }
    return "search/t/" + hex + ".bin";
  }

  // A varint reader over a Uint8Array.
  function Reader(bytes) {
    this.b = bytes;
    this.at = 0;
  }
  Reader.prototype.varint = function () {
    var v = 0;
    var mul = 1;
    for (;;) {
      if (this.at >= this.b.length) {
        throw new Error("damaged search shard");
      }
      var x = this.b[this.at++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) {
        return v;
      }
      mul *= 128;
    }
  };
  Reader.prototype.list = function (docs) {
    var head = this.varint();
    var count = Math.floor(head / 2);
    var ids = [];
    if (head % 2 === 1) {
      var len = Math.ceil(docs / 8);
      for (var i = 0; i < len; i++) {
        var byte = this.b[this.at + i];
        for (var bit = 0; byte && bit < 8; bit++) {
          if (byte & (1 << bit)) {
            ids.push(i * 8 + bit);
          }
        }
      }
      this.at += len;
    } else {
      var id = 0;
      for (var k = 0; k < count; k++) {
        id = k === 0 ? this.varint() : id + this.varint();
        ids.push(id);
      }
    }
    return ids;
  };

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) {
        i++;
      } else if (a[i] > b[j]) {
        j++;
      } else {
        out.push(a[i]);
        i++;
        j++;
      }
    }
    return out;
  }

  function has(sorted, x) {
    var lo = 0;
    var hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === x) {
        return true;
      }
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  // The full-text index, fetched piece by piece (each file once).
  function FullText(root) {
    this.root = root;
    this.files = {};
    this.manifest = null;
  }
  FullText.prototype.fetch = function (path, kind) {
    var self = this;
    if (!this.files[path]) {
      this.files[path] = fetch(this.root + path).then(function (r) {
        if (!r.ok) {
          throw new Error(path + ": HTTP " + r.status);
        }
        return kind === "json" ? r.json() : r.arrayBuffer();
      });
      this.files[path].catch(function () {
        delete self.files[path];
      });
    }
    return this.files[path];
  };
  FullText.prototype.open = function () {
    var self = this;
    return this.fetch("search/index.json", "json").then(function (m) {
      if (!m || m.format !== FORMAT) {
        throw new Error("search index of another format");
      }
      self.manifest = m;
      return m;
    });
  };
  // A term's lists {all, head}, or null when no brief has it.
  FullText.prototype.lists = function (term) {
    var m = this.manifest;
    var path = shardPath(fnv1a(term) & (m.shards - 1), m.shards);
    var key = "parsed:" + path;
    var self = this;
    if (!this.files[key]) {
      this.files[key] = this.fetch(path, "bin").then(function (buf) {
        var r = new Reader(new Uint8Array(buf));
        var dec = new TextDecoder();
        var out = {};
        while (r.at < r.b.length) {
          var len = r.varint();
          var name = dec.decode(r.b.subarray(r.at, r.at + len));
          r.at += len;
          out[name] = { all: r.list(m.docs), head: r.list(m.docs) };
        }
        return out;
      });
      this.files[key].catch(function () {
        delete self.files[key];
      });
    }
    return this.files[key].then(function (shard) {
      return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
    });
  };
  // Matching ids, ranked: most query terms in title/company/ticker first,
  // then newest first (ids are in that order).
  FullText.prototype.search = function (query, filters) {
    var self = this;
    var scored = queryTerms(query);
    var wanted = scored.slice();
    for (var k in filters) {
      if (filters[k]) {
        wanted.push(k + "=" + filters[k]);
      }
    }
    if (!wanted.length) {
      return Promise.resolve([]);
    }
    return Promise.all(wanted.map(function (t) {
      return self.lists(t);
    })).then(function (lists) {
      var matched = null;
      for (var i = 0; i < lists.length; i++) {
        if (!lists[i]) {
          return [];
        }
        matched = matched === null ? lists[i].all : intersect(matched, lists[i].all);
      }
      var ranked = matched.map(function (d) {
        var head = 0;
        for (var j = 0; j < scored.length; j++) {
          if (has(lists[j].head, d)) {
            head++;
          }
        }
        return { id: d, head: head };
      });
      ranked.sort(function (a, b) {
        return b.head - a.head || a.id - b.id;
      });
      return ranked;
    });
  };
  // The metadata of the given ids, from their blocks.
  FullText.prototype.docs = function (ids) {
    var block = this.manifest.block;
    var self = this;
    return Promise.all(ids.map(function (id) {
      return self.fetch("search/b/" + Math.floor(id / block) + ".json", "json").then(function (b) {
        return b[id % block];
      });
    }));
  };
  FullText.prototype.filters = function () {
    return this.fetch("search/filters.json", "json");
  };

  /* ---------- Showing results ---------- */

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // What to mark in a text: a query's CJK runs as written, its words as
  // word starts (a stem marks "users" for "user").
  function marker(query) {
    var parts = [];
    var folded = Array.from(query).map(foldChar).join("");
    var pieces = folded.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af.,;:!?()[\]{}"'，。；：！？（）、]+/g) || [];
    for (var i = 0; i < pieces.length; i++) {
      var p = pieces[i];
      if (isCjk(p.codePointAt(0))) {
        parts.push(escapeRe(p));
      } else {
        parts.push("\\b" + escapeRe(stem(p.toLowerCase())));
      }
    }
    if (!parts.length) {
      return null;
    }
    try {
      return new RegExp("(" + parts.join("|") + ")", "giu");
    } catch (e) {
      return null;
    }
  }

  // text as nodes in el, the matches of re in <mark>.
  function marked(el, text, re) {
    var at = 0;
    if (re) {
      re.lastIndex = 0;
      var m;
      while ((m = re.exec(text)) !== null) {
        if (!m[0]) {
          re.lastIndex++;
          continue;
        }
        el.appendChild(document.createTextNode(text.slice(at, m.index)));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        el.appendChild(mark);
        at = m.index + m[0].length;
      }
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  // The excerpt: the body's start or the summary, whichever shows a
  // match, cut to begin near it; else the summary.
  function excerptOf(doc, re) {
    var texts = [doc.x || "", doc.s || ""];
    for (var i = 0; re && i < texts.length; i++) {
      re.lastIndex = 0;
      var m = re.exec(texts[i]);
      if (m) {
        var t = texts[i];
        if (m.index > 60) {
          var from = t.lastIndexOf(" ", m.index - 40);
          from = from > 0 ? from + 1 : m.index - 40;
          t = "…" + t.slice(from);
        }
        return t;
      }
    }
    return doc.s || doc.x || "";
  }

  function init() {
    var input = document.getElementById("search-input");
    var results = document.getElementById("search-results");
    if (!input || !results) {
      return;
    }
    var form = input.form || input.closest("form");
    var root = rootOf(ownSrc());
    var S = strings(form);
    var served = /^https?:$/.test(window.location.protocol) && window.fetch && window.TextDecoder;
    var full = served ? new FullText(root) : null;
    // null: not asked for yet; "loading"; "full"; "fallback"; "failed".
    var state = null;
    var prepared = null;
    var chosen = {};
    var seq = 0;

    function clear() {
      while (results.firstChild) {
        results.removeChild(results.firstChild);
      }
    }

    function message(s, cls) {
      var li = document.createElement("li");
      li.className = cls || "search-message";
      li.textContent = s;
      results.appendChild(li);
    }

    /* The title-and-summary index, for a site opened from disk. */
    function fold(s) {
      s = s == null ? "" : String(s);
      if (s.normalize) {
        s = s.normalize("NFKC");
      }
      return s.toLowerCase();
    }

    function text(v) {
      if (v == null) {
        return "";
      }
      if (Object.prototype.toString.call(v) === "[object Array]") {
        return v.map(text).join(" ");
      }
      return String(v);
    }

    function useFallback() {
      var data = window.tearsheetIndex;
      if (Object.prototype.toString.call(data) !== "[object Array]") {
        state = "failed";
        return;
      }
      prepared = data.filter(function (e) {
        return e && typeof e === "object";
      }).map(function (e) {
        return {
          doc: { u: e.url, t: e.title, c: e.company, p: e.period, l: e.lang, s: e.summary, x: "" },
          head: fold([text(e.title), text(e.company), text(e.ticker)].join("\n")),
          all: fold([text(e.title), text(e.company), text(e.ticker), text(e.period), text(e.tags), text(e.summary)].join("\n"))
        };
      });
      state = "fallback";
    }

    function loadFallback() {
      if (window.tearsheetIndex) {
        useFallback();
        run();
        return;
      }
      var tag = document.createElement("script");
      tag.src = root + "search-index.js";
      tag.async = true;
      tag.onload = function () {
        useFallback();
        run();
      };
      tag.onerror = function () {
        state = "failed";
        run();
      };
      document.head.appendChild(tag);
    }

    function load() {
      if (state !== null) {
        return;
      }
      state = "loading";
      if (!full) {
        loadFallback();
        return;
      }
      full.open().then(function () {
        state = "full";
        addFilters();
        run();
      }, function () {
        full = null;
        loadFallback();
      });
    }

    function searchFallback(query) {
      var words = fold(query).split(/\s+/).filter(Boolean);
      var hits = [];
      for (var i = 0; i < prepared.length; i++) {
        var p = prepared[i];
        var head = 0;
        var ok = true;
        for (var j = 0; j < words.length; j++) {
          if (p.all.indexOf(words[j]) === -1) {
            ok = false;
            break;
          }
          if (p.head.indexOf(words[j]) !== -1) {
            head++;
          }
        }
        if (ok) {
          hits.push({ doc: p.doc, head: head, order: i });
        }
      }
      hits.sort(function (a, b) {
        return b.head - a.head || a.order - b.order;
      });
      return hits;
    }

    function show(docs, total, query, note) {
      clear();
      if (note) {
        message(note, "search-message search-note");
      }
      if (!total) {
        message(S.empty, "search-message search-empty");
        return;
      }
      var re = marker(query);
      var pageLang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
      for (var i = 0; i < docs.length; i++) {
        var d = docs[i];
        if (!d) {
          continue;
        }
        var li = document.createElement("li");
        if (d.l && String(d.l).toLowerCase() !== pageLang) {
          li.lang = d.l;
        }
        var a = document.createElement("a");
        var url = text(d.u);
        a.href = /^([a-z][a-z0-9+.-]*:|\/)/i.test(url) ? url : root + url;
        marked(a, text(d.t) || url, re);
        li.appendChild(a);
        var meta = [text(d.c), text(d.p), text(d.d)].filter(Boolean).join(" · ");
        if (meta) {
          li.appendChild(document.createTextNode(" "));
          var span = document.createElement("span");
          span.className = "search-meta";
          span.textContent = meta;
          li.appendChild(span);
        }
        var ex = excerptOf(d, re);
        if (ex) {
          var p = document.createElement("p");
          p.className = "search-excerpt";
          marked(p, ex, re);
          li.appendChild(p);
        }
        results.appendChild(li);
      }
      if (total > docs.length) {
        message(S.more(total - docs.length));
      }
    }

    function run() {
      var query = input.value.trim();
      var filtered = FILTERS.some(function (k) {
        return chosen[k];
      });
      if (!query && !filtered) {
        clear();
        return;
      }
      if (state === null) {
        load();
      }
      if (state === "loading") {
        clear();
        message(S.loading);
        return;
      }
      if (state === "failed") {
        clear();
        message(S.unavailable);
        return;
      }
      if (state === "fallback") {
        var hits = searchFallback(query);
        show(hits.slice(0, MAX_RESULTS).map(function (h) {
          return h.doc;
        }), hits.length, query, S.served);
        return;
      }
      var mine = ++seq;
      full.search(query, chosen).then(function (ranked) {
        var top = ranked.slice(0, MAX_RESULTS).map(function (r) {
          return r.id;
        });
        return full.docs(top).then(function (docs) {
          if (mine === seq) {
            show(docs, ranked.length, query);
            form.setAttribute("data-searched", query);
          }
        });
      }).catch(function () {
        if (mine === seq) {
          clear();
          message(S.unavailable);
        }
      });
    }

    // Filters: built here, filled from search/filters.json when opened.
    function addFilters() {
      if (!form || form.querySelector(".search-filters")) {
        return;
      }
      var details = document.createElement("details");
      details.className = "search-filters";
      var summary = document.createElement("summary");
      summary.textContent = S.filters;
      details.appendChild(summary);
      var selects = {};
      FILTERS.forEach(function (k) {
        var label = document.createElement("label");
        label.className = "search-filter";
        label.appendChild(document.createTextNode(S[k] + " "));
        var select = document.createElement("select");
        select.name = k;
        var all = document.createElement("option");
        all.value = "";
        all.textContent = S.all;
        select.appendChild(all);
        select.addEventListener("change", function () {
          chosen[k] = select.value;
          run();
        });
        label.appendChild(select);
        details.appendChild(label);
        selects[k] = select;
      });
      var filled = false;
      details.addEventListener("toggle", function () {
        if (!details.open || filled) {
          return;
        }
        filled = true;
        full.filters().then(function (values) {
          FILTERS.forEach(function (k) {
            var names = Object.keys(values[k] || {}).sort(function (a, b) {
              return a.localeCompare(b);
            });
            names.forEach(function (v) {
              var o = document.createElement("option");
              o.value = v;
              o.textContent = (k === "lang" ? LANG_NAMES[v] || v : v) + " (" + values[k][v] + ")";
              selects[k].appendChild(o);
            });
          });
        }, function () {
          filled = false;
        });
      });
      form.insertBefore(details, results);
    }

    function links() {
      return results.querySelectorAll("a");
    }

    function composing(e) {
      return e.isComposing || e.keyCode === 229;
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function (e) {
      // Wait for the IME to commit (pinyin letters are not the query).
      if (composing(e)) {
        return;
      }
      run();
    });
    input.addEventListener("compositionend", run);

    input.addEventListener("keydown", function (e) {
      if (composing(e)) {
        return;
      }
      if (e.key === "ArrowDown" || e.key === "Down") {
        var first = links()[0];
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === "Escape" || e.key === "Esc") {
        if (input.value) {
          e.preventDefault();
          input.value = "";
          clear();
        }
      }
    });

    results.addEventListener("keydown", function (e) {
      var all = links();
      var at = Array.prototype.indexOf.call(all, document.activeElement);
      if (at === -1) {
        return;
      }
      if (e.key === "ArrowDown" || e.key === "Down") {
        e.preventDefault();
        if (at + 1 < all.length) {
          all[at + 1].focus();
        }
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        e.preventDefault();
        if (at > 0) {
          all[at - 1].focus();
        } else {
          input.focus();
        }
      } else if (e.key === "Escape" || e.key === "Esc") {
        e.preventDefault();
        input.value = "";
        clear();
        input.focus();
      }
    });

    if (form) {
      // Enter opens the first result; the form never goes to a server.
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var first = links()[0];
        if (first) {
          window.location.href = first.href;
        } else {
          run();
        }
      });
      form.hidden = false;
    }

    // A value the browser restored (back button) is searched at once.
    if (input.value.trim()) {
      run();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
