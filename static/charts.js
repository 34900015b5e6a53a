/* tearsheet charts: "Download SVG" without a file per chart. Plain
 * JavaScript, no libraries, no requests.
 *
 * Without `chart_files: true` in site.yaml a chart is only drawn inline,
 * and its download link (<a data-svg download="ID.svg">, hidden so that a
 * reader without scripts never meets a link that leads nowhere) is shown
 * here. A click serialises the chart's inline <svg> into a Blob the link
 * downloads, with the styles a file of its own needs: the inline drawing
 * takes its colours from the page (the theme's variables, currentColor),
 * so the values the page gives it now (light or dark, the site's colour
 * of rises, a theme's own palette) are written into the file's <style>.
 */
(function () {
  "use strict";

  var TOKENS = ["--ts-s1", "--ts-s2", "--ts-s3", "--ts-s4", "--ts-s5", "--ts-s6",
    "--ts-grid", "--ts-axis", "--up", "--down", "--bg", "--fg"];

  function standalone(svg) {
    var computed = getComputedStyle(svg);
    var rules = ["color:" + computed.color,
      "background:" + getComputedStyle(document.body).backgroundColor];
    TOKENS.forEach(function (token) {
      var value = computed.getPropertyValue(token).trim();
      if (value) rules.push(token + ":" + value);
    });
    var copy = svg.cloneNode(true);
    var style = document.createElementNS("http://www.w3.org/2000/svg", "style");
    style.textContent = "svg{" + rules.join(";") + "}";
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
