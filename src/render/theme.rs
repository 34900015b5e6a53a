//! The theme: Tera templates and static assets. The built-in theme (this
//! repository's `templates/` and `static/`) is embedded in the binary; a
//! site's own `templates/NAME` replaces the built-in template of that
//! name. Template errors become diagnostics naming the template file, line
//! and column.

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Diagnostic, Pos};
use crate::load::walk;

/// The built-in templates, by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "brief_list.html",
        include_str!("../../templates/brief_list.html"),
    ),
    (
        "companies.html",
        include_str!("../../templates/companies.html"),
    ),
    (
        "brief_houses.html",
        include_str!("../../templates/brief_houses.html"),
    ),
    (
        "houses_table.html",
        include_str!("../../templates/houses_table.html"),
    ),
    (
        "brief_forecasts.html",
        include_str!("../../templates/brief_forecasts.html"),
    ),
    ("company.html", include_str!("../../templates/company.html")),
    (
        "pagination.html",
        include_str!("../../templates/pagination.html"),
    ),
    (
        "pagination_links.html",
        include_str!("../../templates/pagination_links.html"),
    ),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
];

/// The built-in static files, by output path.
pub(crate) const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("charts.js", include_bytes!("../../static/charts.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

/// Theme assets whose file names carry a hash of their content
/// (`style.3f2a9c1e.css`), so hosts can cache them for a year while pages
/// stay fresh: the name changes when, and only when, the content does.
#[derive(Debug, Clone)]
pub(crate) struct Assets {
    /// (output name, bytes) of every hashed asset.
    pub files: Vec<(String, Vec<u8>)>,
    /// Output names by logical name (`style.css` → `style.3f2a9c1e.css`),
    /// given to templates as `assets`.
    pub names: std::collections::BTreeMap<String, String>,
}

/// The built-in assets served under hashed names.
pub(crate) const HASHED: &[&str] = &["style.css", "search.js", "charts.js"];

impl Assets {
    /// The hashed assets: a site's own `static/NAME` replaces the built-in
    /// file of that name.
    pub(crate) fn resolve(root: &Path) -> Assets {
        let mut files = Vec::new();
        let mut names = std::collections::BTreeMap::new();
        for name in HASHED {
            let builtin = BUILTIN_STATIC
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.to_vec())
                .unwrap_or_default();
            let bytes = std::fs::read(root.join("static").join(name)).unwrap_or(builtin);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let hashed = format!("{stem}.{:08x}.{ext}", crate::hash::fnv1a_64(&bytes) as u32);
            names.insert(name.to_string(), hashed.clone());
            files.push((hashed, bytes));
        }
        Assets { files, names }
    }
}

/// A site's own `static/style.css` replaces the built-in one whole: what
/// it lacks of the rules the built-in templates' markup needs, as
/// warnings (TS0403: the inline charts' classes; TS0404: the arrows of
/// rises and falls, which the style sheet draws).
pub(crate) fn style_sheet_warnings(root: &Path) -> Vec<Diagnostic> {
    let rel = Path::new("static").join("style.css");
    let Ok(css) = std::fs::read(root.join(&rel)) else {
        return Vec::new();
    };
    let has = |what: &str| {
        css.windows(what.len())
            .any(|w| w.eq_ignore_ascii_case(what.as_bytes()))
    };
    let mut out = Vec::new();
    if !has(CHART_RULES) {
        out.push(Diagnostic::warning(
            "TS0403",
            rel.clone(),
            "this style sheet replaces the built-in one and has no `svg.ts-chart` rules: inline charts will lose their colours",
        )
        .help("copy the `svg.ts-chart` rules of the built-in style sheet into it (docs/charts.md lists them), or remove static/style.css to use the built-in one"));
    }
    if !ARROWS.iter().any(|a| has(a)) {
        out.push(Diagnostic::warning(
            "TS0404",
            rel,
            "this style sheet replaces the built-in one and draws no arrows: rises and falls will show only their sign and colour",
        )
        .help("copy the `.chg.up > i::before` and `.chg.down > i::before` rules of the built-in style sheet into it (docs/templates.md, the `arrow` filter), or remove static/style.css to use the built-in one"));
    }
    out
}

/// What a style sheet that styles inline charts names.
const CHART_RULES: &str = "svg.ts-chart";

/// What a style sheet that draws the rises' arrow holds: the ▲, or its
/// CSS escape.
const ARROWS: [&str; 2] = ["\\25B2", "\u{25B2}"];

/// The output buffer of a template's first render (a brief page is
/// about 30 KB).
const FIRST_BUFFER: usize = 32 << 10;

pub(crate) struct Theme {
    pub tera: Tera,
    /// Where each template came from, for messages: (name, file, source).
    sources: Vec<(String, PathBuf, String)>,
    /// By template (as `sources`), the largest output it rendered so far:
    /// the next output's buffer starts that large instead of doubling up
    /// to it (company pages are hundreds of kilobytes).
    largest: Vec<std::sync::atomic::AtomicUsize>,
}

impl Theme {
    /// A hash of every template's name and source.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h = crate::hash::Hash::new(0);
        for (name, _, source) in &self.sources {
            h.str(name);
            h.str(source);
        }
        h.finish()
    }

    /// Loads the built-in templates, replaced by name by the site's own.
    pub(crate) fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut sources: Vec<(String, PathBuf, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, src)| {
                (
                    name.to_string(),
                    PathBuf::from(format!("(built-in theme) templates/{name}")),
                    dedent(src),
                )
            })
            .collect();
        let mut errors = Vec::new();
        for rel in walk::files_under(root, "templates").map_err(|d| vec![d])? {
            let name = rel
                .strip_prefix("templates")
                .unwrap_or(&rel)
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read_to_string(root.join(&rel)) {
                Ok(src) => {
                    let src = src.replace("\r\n", "\n");
                    match sources.iter_mut().find(|(n, _, _)| *n == name) {
                        Some(slot) => *slot = (name, rel, src),
                        None => sources.push((name, rel, src)),
                    }
                }
                Err(e) => errors.push(Diagnostic::error(
                    "TS0401",
                    rel,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(crate::render::html::escape_to);
        tera.register_filter("arrow", arrow);
        let theme = Theme {
            tera: Tera::new(),
            largest: sources.iter().map(|_| FIRST_BUFFER.into()).collect(),
            sources,
        };
        if let Err(e) = tera.add_raw_templates(
            theme
                .sources
                .iter()
                .map(|(n, _, s)| (n.as_str(), s.as_str())),
        ) {
            return Err(theme.diagnostics(&e, "TS0401"));
        }
        Ok(Theme { tera, ..theme })
    }

    /// Renders template `name` with `ctx`.
    pub(crate) fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        // Into bytes, as they are written: built from `str`s, they are
        // UTF-8, and checking a whole page again would cost a pass over it.
        use std::sync::atomic::Ordering::Relaxed;
        let largest = self
            .sources
            .iter()
            .position(|(n, _, _)| n == name)
            .map(|i| &self.largest[i]);
        let mut out = Vec::with_capacity(largest.map_or(FIRST_BUFFER, |l| l.load(Relaxed)));
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| self.diagnostics(&e, "TS0402"))?;
        if let Some(l) = largest {
            l.fetch_max(out.len(), Relaxed);
        }
        Ok(out)
    }

    /// Turns a Tera error into diagnostics at the template's file, line
    /// and column.
    fn diagnostics(&self, e: &tera::Error, code: &'static str) -> Vec<Diagnostic> {
        match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                vec![self.at(
                    r.filename(),
                    r.span().start_line,
                    r.span().start_col + 1,
                    r.message(),
                    code,
                )]
            }
            _ => {
                // Reports joined as text: "error: MSG\n --> name:line:col".
                let text = e.to_string();
                let mut out = Vec::new();
                let mut message: Option<String> = None;
                for line in text.lines() {
                    if let Some(m) = line.strip_prefix("error: ") {
                        message = Some(m.to_string());
                    } else if let (Some(loc), Some(m)) =
                        (line.trim_start().strip_prefix("--> "), &message)
                    {
                        let mut parts = loc.rsplitn(3, ':');
                        let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
                        let line_no = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
                        let name = parts.next().unwrap_or("");
                        out.push(self.at(name, line_no, col, m, code));
                        message = None;
                    }
                }
                if out.is_empty() {
                    let mut chain = text;
                    let mut src = std::error::Error::source(e);
                    while let Some(s) = src {
                        chain.push_str(&format!(": {s}"));
                        src = s.source();
                    }
                    out.push(Diagnostic::error(
                        code,
                        "templates",
                        format!("template error: {chain}"),
                    ));
                }
                out
            }
        }
    }

    fn at(
        &self,
        name: &str,
        line: usize,
        col: usize,
        message: &str,
        code: &'static str,
    ) -> Diagnostic {
        match self.sources.iter().find(|(n, _, _)| n == name) {
            Some((_, file, src)) => {
                Diagnostic::error(code, file.clone(), format!("template error: {message}"))
                    .at(src, Pos::new(line, col, 1))
            }
            None => Diagnostic::error(
                code,
                format!("templates/{name}"),
                format!("template error: {message}"),
            ),
        }
    }
}

/// A built-in template's source without the indentation of its lines and
/// without empty lines: the files stay laid out to be read, the pages they
/// write are not. Only spaces and tabs after a line break, and line breaks
/// right after one, go, never a run's first break, so every run of
/// white space the template writes between elements stays one (a page
/// looks the same where white space collapses, as everywhere in the theme:
/// no built-in template writes literal text into `<pre>` or a
/// `white-space: pre` element). Values a template prints (a brief's body
/// and its code blocks) are not template source and are untouched. On
/// 2,000 generated briefs the indentation was 1.5 KB of a 39.0 KB brief
/// page, and 0.9 KB of the 12.6 KB per brief of company, tag and home
/// pages.
fn dedent(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.split_inclusive('\n') {
        let line = line.trim_start_matches([' ', '\t']);
        // An empty line after a line break: the break before it stays.
        if line == "\n" && out.ends_with('\n') {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The `arrow` filter: the mark beside a change, from its direction
/// (`up`, `down`, else none): `{{ r.yoy_direction | arrow }}`. One place
/// for the markup every template shows beside a rise or a fall. The mark
/// is an empty `<i>` whose ▲ or ▼ the style sheet draws from the class
/// of the `.chg` element around it (`.chg.up > i::before`), hidden from
/// screen readers, which read the sign: 7 bytes where `<i
/// aria-hidden="true">▲</i>` took 30, and a generated brief page has 37
/// of them on average (2,000 bench briefs: 1.1 KB a brief over the whole
/// site). A template that shows an arrow outside a `.chg` element gets
/// no mark.
fn arrow(direction: std::borrow::Cow<'_, str>, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    tera::Value::safe_string(match &*direction {
        "up" | "down" => "<i></i>",
        _ => "",
    })
}
