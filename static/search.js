/* tearsheet search: plain JavaScript, no libraries, no requests but one.
 *
 * The home page holds <form role="search" hidden> with #search-input and
 * #search-results. This script unhides it, and on the first focus or input
 * loads search-index.js from the folder it was itself loaded from (the site
 * root). That file sets window.tearsheetIndex to a list of
 * {title, company, ticker, period, tags, summary, url, lang}, url relative
 * to the site root. A <script> tag, unlike fetch, also works from disk.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;

  var STRINGS = {
    zh: {
      empty: "没有找到匹配的简报。",
      loading: "正在载入搜索索引…",
      unavailable: "搜索暂时不可用。",
      more: function (n) {
        return "另有 " + n + " 条结果，请输入更多关键词缩小范围。";
      }
    },
    en: {
      empty: "No briefs match.",
      loading: "Loading the search index…",
      unavailable: "Search is unavailable.",
      more: function (n) {
        return n + " more " + (n === 1 ? "result" : "results") + "; type more to narrow them down.";
      }
    }
  };

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

  // The form's own texts (its data- attributes: the site's UI strings),
  // else the built-in ones in the page's language.
  function strings(form) {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    var base = lang.indexOf("zh") === 0 ? STRINGS.zh : STRINGS.en;
    var d = (form && form.dataset) || {};
    return {
      empty: d.empty || base.empty,
      loading: d.loading || base.loading,
      unavailable: d.unavailable || base.unavailable,
      more: function (n) {
        var t = n === 1 ? d.moreOne : d.more;
        return t ? t.replace("{n}", n) : base.more(n);
      }
    };
  }

  // Case- and width-insensitive: "ＡＢＣ" and "abc" match.
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
    if (typeof v === "object") {
      return text(v.name);
    }
    return String(v);
  }

  function init() {
    var input = document.getElementById("search-input");
    var results = document.getElementById("search-results");
    if (!input || !results) {
      return;
    }
    var form = input.form || input.closest("form");
    var root = rootOf(ownSrc());

    // null: not asked for yet; "loading"; an array; or "failed".
    var index = null;
    var prepared = null;

    function prepare(list) {
      var out = [];
      for (var i = 0; i < list.length; i++) {
        var e = list[i];
        if (!e || typeof e !== "object") {
          continue;
        }
        out.push({
          entry: e,
          head: fold([text(e.title), text(e.company), text(e.ticker)].join("\n")),
          all: fold(
            [text(e.title), text(e.company), text(e.ticker), text(e.period), text(e.tags), text(e.summary)].join("\n")
          )
        });
      }
      return out;
    }

    function useIndex() {
      var data = window.tearsheetIndex;
      if (Object.prototype.toString.call(data) === "[object Array]") {
        index = data;
        prepared = prepare(data);
      } else {
        index = "failed";
      }
    }

    function load() {
      if (index !== null) {
        return;
      }
      if (window.tearsheetIndex) {
        useIndex();
        return;
      }
      index = "loading";
      var tag = document.createElement("script");
      tag.src = root + "search-index.js";
      tag.async = true;
      tag.onload = function () {
        useIndex();
        run();
      };
      tag.onerror = function () {
        index = "failed";
        run();
      };
      document.head.appendChild(tag);
    }

    function clear() {
      while (results.firstChild) {
        results.removeChild(results.firstChild);
      }
    }

    function message(s, cls) {
      clear();
      var li = document.createElement("li");
      li.className = cls || "search-message";
      li.textContent = s;
      results.appendChild(li);
    }

    function search(query) {
      var terms = fold(query).split(/\s+/).filter(Boolean);
      var hits = [];
      for (var i = 0; i < prepared.length; i++) {
        var p = prepared[i];
        var score = 0;
        var ok = true;
        for (var j = 0; j < terms.length; j++) {
          if (p.all.indexOf(terms[j]) === -1) {
            ok = false;
            break;
          }
          if (p.head.indexOf(terms[j]) !== -1) {
            score++;
          }
        }
        if (ok) {
          hits.push({ p: p, score: score, order: i });
        }
      }
      // Title, company and ticker matches first; otherwise index order (newest first).
      hits.sort(function (a, b) {
        return b.score - a.score || a.order - b.order;
      });
      return hits;
    }

    function show(hits) {
      clear();
      var pageLang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
      var n = Math.min(hits.length, MAX_RESULTS);
      for (var i = 0; i < n; i++) {
        var e = hits[i].p.entry;
        var li = document.createElement("li");
        if (e.lang && String(e.lang).toLowerCase() !== pageLang) {
          li.lang = e.lang;
        }
        var a = document.createElement("a");
        var url = text(e.url);
        a.href = /^([a-z][a-z0-9+.-]*:|\/)/i.test(url) ? url : root + url;
        a.textContent = text(e.title) || text(e.url);
        li.appendChild(a);
        var meta = [text(e.company), text(e.period)].filter(Boolean).join(" · ");
        if (meta) {
          li.appendChild(document.createTextNode(" "));
          var span = document.createElement("span");
          span.className = "search-meta";
          span.textContent = meta;
          li.appendChild(span);
        }
        results.appendChild(li);
      }
      if (hits.length > n) {
        var more = document.createElement("li");
        more.className = "search-message";
        more.textContent = strings(form).more(hits.length - n);
        results.appendChild(more);
      }
    }

    function run() {
      var query = input.value.trim();
      if (!query) {
        clear();
        return;
      }
      if (index === null) {
        load();
      }
      if (index === "loading") {
        message(strings(form).loading);
        return;
      }
      if (index === "failed") {
        message(strings(form).unavailable);
        return;
      }
      var hits = search(query);
      if (hits.length === 0) {
        message(strings(form).empty, "search-message search-empty");
      } else {
        show(hits);
      }
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
        run();
        var first = links()[0];
        if (first) {
          window.location.href = first.href;
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
