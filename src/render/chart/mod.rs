//! The block a chart becomes on a page: a `<figure>` with the chart, its
//! title, note and source, and the same numbers as an HTML table for
//! readers who cannot see it.

use crate::model::chart::Chart;
use crate::model::lang::Lang;
use crate::render::format;
use crate::render::html::escape;
use crate::render::i18n;

/// The figure block for `chart` on a page in `lang`. `svg` is the inline
/// drawing (empty until the chart is drawn: a placeholder is shown).
pub fn block(chart: &Chart, svg: &str, lang: Lang) -> String {
    let id = escape(&chart.id);
    let title = escape(&chart.title);
    let mut out = String::new();
    let class = if svg.is_empty() {
        "chart chart-placeholder"
    } else {
        "chart"
    };
    out.push_str(&format!(
        "<figure class=\"{class}\" id=\"chart-{id}\">\n<figcaption>{title}</figcaption>\n"
    ));
    out.push_str(svg);
    out.push_str(&format!(
        "<details><summary>{}</summary>\n{}</details>\n",
        i18n::get(lang, "chart_data"),
        data_table(chart, lang)
    ));
    if let Some(note) = &chart.note {
        out.push_str(&format!("<p class=\"chart-note\">{}</p>\n", escape(note)));
    }
    if chart
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.derived))
    {
        out.push_str(&format!(
            "<p class=\"chart-note\">* {}</p>\n",
            i18n::get(lang, "derived")
        ));
    }
    if let Some(source) = &chart.source {
        out.push_str(&format!(
            "<p class=\"chart-source\">{}: {}</p>\n",
            i18n::get(lang, "sources"),
            escape(source)
        ));
    }
    out.push_str("</figure>\n");
    out
}

/// The chart's numbers: one row per category, one column per series.
pub fn data_table(chart: &Chart, lang: Lang) -> String {
    let mut out = String::from("<table>\n<thead><tr><th scope=\"col\"></th>");
    for s in &chart.series {
        let name = if s.name == "prior" {
            i18n::get(lang, "prior").to_string()
        } else {
            s.name.clone()
        };
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, x) in chart.x.iter().enumerate() {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(x)));
        for s in &chart.series {
            let cell = s
                .points
                .get(i)
                .map(|p| {
                    let mark = if p.derived { "*" } else { "" };
                    format!("{}{mark}", format::figure(&p.figure, &s.unit, lang, None))
                })
                .unwrap_or_default();
            out.push_str(&format!("<td>{}</td>", escape(&cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
