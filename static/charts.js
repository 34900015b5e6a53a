/* tearsheet charts: "Download SVG" without a file per chart. Plain
 * JavaScript, no libraries, no requests.
 *
 * Without `chart_files: true` in site.yaml a chart is only drawn inline,
 * and its download link (<a data-svg download="ID.svg">, hidden so that a
 * reader without scripts never meets a link that leads nowhere) is shown
 * here. A click serialises the chart's inline <svg> into a Blob the link
 * downloads, made to stand on its own: the inline drawing takes its
 * presentation from the page's style sheet (the `svg.ts-chart` rules: a
 * class per colour of the theme, text 12 high in the page's colour, lines
 * unfilled), which a file does not have. So every drawn element of the
 * copy gets, as attributes, the fill, stroke, anchor and size the page
 * gives it now (light or dark, the site's colour of rises, a theme's own
 * palette) where they differ from what it inherits, and the root gets
 * the inherited ones, the font and the page's background.
 */
(function () {
  "use strict";

  var DRAWN = ["rect", "circle", "polyline", "polygon", "path", "text"];
  var PROPS = ["fill", "stroke", "text-anchor", "font-size"];
  var ROOT = ["fill", "font-size", "font-family"];

  function standalone(svg) {
    var copy = svg.cloneNode(true);
    var computed = getComputedStyle(svg);
    ROOT.forEach(function (prop) {
      copy.setAttribute(prop, computed.getPropertyValue(prop));
    });
    // The copy has the same elements in the same order.
    var from = svg.querySelectorAll("*");
    var to = copy.querySelectorAll("*");
    for (var i = 0; i < from.length; i++) {
      if (DRAWN.indexOf(from[i].localName) < 0) continue;
      var own = getComputedStyle(from[i]);
      var inherited = getComputedStyle(from[i].parentNode);
      for (var p = 0; p < PROPS.length; p++) {
        var value = own.getPropertyValue(PROPS[p]);
        if (!to[i].hasAttribute(PROPS[p]) && value !== inherited.getPropertyValue(PROPS[p])) {
          to[i].setAttribute(PROPS[p], value);
        }
      }
    }
    var style = document.createElementNS("http://www.w3.org/2000/svg", "style");
    style.textContent = "svg{color:" + computed.color + ";background:" +
      getComputedStyle(document.body).backgroundColor + "}";
    // After <title> and <desc>, which name the drawing first.
    var desc = copy.querySelector("desc");
    copy.insertBefore(style, desc ? desc.nextSibling : copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  }

  var links = document.querySelectorAll("a[data-svg]");
  Array.prototype.forEach.call(links, function (link) {
    var figure = link.closest("figure");
    var svg = figure && figure.querySelector("svg");
    if (!svg) return;
    link.parentNode.hidden = false;
    link.addEventListener("click", function () {
      if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
      var blob = new Blob([standalone(svg)], { type: "image/svg+xml" });
      link.href = URL.createObjectURL(blob);
    });
  });
})();
