//! The build cache (issue #7): a build that reuses the previous output
//! gives exactly what a clean build of the same files gives, after any
//! sequence of edits, additions and deletions; it renders and writes only
//! what an edit touches; and anything that could make the old output
//! untrustworthy (`--no-cache`, a changed template, a hand-replaced
//! output) makes it render everything.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::tree;
use proptest::prelude::*;
use tearsheet::Memo;
use tearsheet::{self as site, Options, Report};

/// This repository's own example site (content and settings) in a
/// temporary folder: companies over several quarters (sparklines,
/// restatements), tags, plain pages, zh and en.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &dir.path().join("content"));
    fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).expect("site.yaml");
    dir
}

fn build(root: &Path, output: &Path, cache: bool) -> Report {
    try_build(root, output, cache).unwrap_or_else(|diags| panic!("build failed: {diags:?}"))
}

/// A build that may fail.
fn try_build(
    root: &Path,
    output: &Path,
    cache: bool,
) -> Result<Report, Vec<tearsheet::Diagnostic>> {
    let opts = Options {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        write: true,
        cache,
        ..Options::default()
    };
    site::build(&opts)
}

/// A build the way serve makes one: pages, files found and cache kept
/// in `memo`, told which files changed (`None`: look at all).
fn build_with_memo(root: &Path, output: &Path, memo: &mut Memo, changed: Option<Vec<PathBuf>>) {
    let opts = Options {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        write: true,
        cache: true,
        changed,
        ..Options::default()
    };
    if let Err(diags) = site::build_with(&opts, Some(memo)) {
        panic!("build failed: {diags:?}");
    }
}

fn briefs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root.join("content/briefs"))
        .expect("briefs")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    v
}

fn replace_line(path: &Path, prefix: &str, line: &str) {
    let text = fs::read_to_string(path).expect("read");
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(prefix) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(path, out.join("\n") + "\n").expect("write");
}

/// Replaces the first money figure written with 亿 or bn (`value: 350亿`)
/// by another of the same scale.
fn restate_money(path: &Path, n: u16) {
    let text = fs::read_to_string(path).expect("read");
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            let Some(at) = l.find("value: ").filter(|_| !done) else {
                return l.to_string();
            };
            let start = at + "value: ".len();
            let end = start + l[start..].find([',', '}']).unwrap_or(l.len() - start);
            let token = l[start..end].trim();
            let Some(suffix) = ["亿", "bn"].into_iter().find(|s| token.ends_with(s)) else {
                return l.to_string();
            };
            if !token.starts_with(|c: char| c.is_ascii_digit()) {
                return l.to_string();
            }
            done = true;
            format!("{}{}{suffix}{}", &l[..start], 100 + n % 900, &l[end..])
        })
        .collect();
    fs::write(path, out.join("\n") + "\n").expect("write");
}

/// An edit an author makes between two builds.
#[derive(Debug, Clone)]
enum Edit {
    Summary(usize, u16),
    /// A money figure stated anew (moves sparklines and restatements).
    Value(usize, u16),
    Date(usize, u8, u8),
    Delete(usize),
    Copy(usize, u16),
    PlainPageTitle(u16),
    StaticFile(u16),
    RemoveStatic,
    /// Saved without a change (read again, same text).
    Touch(usize),
    Tags(usize, u16),
    /// The company's name (and so its page and listings).
    Company(usize, u16),
    Ticker(usize, u16),
    /// A slug set (or set anew): the page moves.
    Slug(usize, u16),
    Period(usize, u8),
    /// `strings:` in site.yaml: every page's navigation.
    Strings(u16),
    /// The company file's English name (its briefs and page).
    CompanyFile(u16),
    /// A figure of the company's history.csv (its page).
    History(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..20usize, any::<u16>()).prop_map(|(i, n)| Edit::Summary(i, n)),
        (0..20usize, any::<u16>()).prop_map(|(i, n)| Edit::Value(i, n)),
        (0..20usize, 1..12u8, 1..28u8).prop_map(|(i, m, d)| Edit::Date(i, m, d)),
        (0..20usize).prop_map(Edit::Delete),
        (0..20usize, any::<u16>()).prop_map(|(i, n)| Edit::Copy(i, n)),
        any::<u16>().prop_map(Edit::PlainPageTitle),
        any::<u16>().prop_map(Edit::StaticFile),
        Just(Edit::RemoveStatic),
        (0..20usize).prop_map(Edit::Touch),
        (0..20usize, any::<u16>()).prop_map(|(i, n)| Edit::Tags(i, n)),
        (0..20usize, 0..3u16).prop_map(|(i, n)| Edit::Company(i, n)),
        (0..20usize, 0..3u16).prop_map(|(i, n)| Edit::Ticker(i, n)),
        (0..20usize, any::<u16>()).prop_map(|(i, n)| Edit::Slug(i, n)),
        (0..20usize, 0..8u8).prop_map(|(i, q)| Edit::Period(i, q)),
        any::<u16>().prop_map(Edit::Strings),
        any::<u16>().prop_map(Edit::CompanyFile),
        any::<u16>().prop_map(Edit::History),
    ]
}

/// Sets `key: value` in the front matter of `path`: the line replaced,
/// or added after the title.
fn set_front_matter(path: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(path).expect("read");
    let prefix = format!("{key}:");
    let line = format!("{key}: {value}");
    let has = text.lines().any(|l| l.starts_with(&prefix));
    let mut out = Vec::new();
    for l in text.lines() {
        match (l.starts_with(&prefix), l.starts_with("title:") && !has) {
            (true, _) => out.push(line.clone()),
            (false, true) => {
                out.push(l.to_string());
                out.push(line.clone());
            }
            (false, false) => out.push(l.to_string()),
        }
    }
    fs::write(path, out.join("\n") + "\n").expect("write");
}

/// The front-matter edits of the shape of a page: where it sits.
fn apply_shape(path: &Path, e: &Edit) {
    match e {
        Edit::Tags(_, n) => set_front_matter(path, "tags", &format!("[Edited {n}, Robotics]")),
        Edit::Company(_, n) => set_front_matter(
            path,
            "company",
            &format!("{{ name: Company {n}, ticker: NWRB.DEMO, sector: Robots }}"),
        ),
        Edit::Ticker(_, n) => set_front_matter(
            path,
            "company",
            &format!("{{ name: Northwind Robotics, ticker: T{n}.DEMO }}"),
        ),
        Edit::Slug(_, n) => set_front_matter(path, "slug", &format!("moved-{n}")),
        Edit::Period(_, q) => set_front_matter(
            path,
            "period",
            &format!("{}Q{}", 2024 + i32::from(q / 4), q % 4 + 1),
        ),
        _ => {}
    }
}

/// Makes the edit and returns the paths it touched (as serve's watcher
/// would report them).
fn apply(root: &Path, e: &Edit) -> Vec<PathBuf> {
    let all = briefs(root);
    let pick = |i: usize| all[i % all.len()].clone();
    let path = match e {
        Edit::Summary(i, n) => {
            replace_line(&pick(*i), "summary:", &format!("summary: \"edited {n}\""));
            pick(*i)
        }
        Edit::Value(i, n) => {
            restate_money(&pick(*i), *n);
            pick(*i)
        }
        Edit::Date(i, m, d) => {
            replace_line(&pick(*i), "date:", &format!("date: 2025-{m:02}-{d:02}"));
            pick(*i)
        }
        Edit::Delete(i) if all.len() > 2 => {
            fs::remove_file(pick(*i)).expect("delete");
            pick(*i)
        }
        Edit::Delete(_) => return Vec::new(),
        // A copy is a new brief at its own address: a `slug:` set by an
        // earlier edit is not copied (two pages at one address is an
        // error, TS0203, in a clean build as in a cached one).
        Edit::Copy(i, n) => {
            let to = root.join(format!("content/briefs/copy-{n}.md"));
            let text = fs::read_to_string(pick(*i)).expect("read");
            let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("slug:")).collect();
            fs::write(&to, lines.join("\n") + "\n").expect("copy");
            to
        }
        Edit::PlainPageTitle(n) => {
            let about = root.join("content/about.md");
            replace_line(&about, "title:", &format!("title: About {n}"));
            about
        }
        Edit::StaticFile(n) => {
            fs::create_dir_all(root.join("static")).expect("static/");
            fs::write(root.join("static/notes.txt"), format!("{n}")).expect("write");
            root.join("static/notes.txt")
        }
        Edit::RemoveStatic => {
            let _ = fs::remove_file(root.join("static/notes.txt"));
            root.join("static/notes.txt")
        }
        Edit::Touch(i) => {
            touch(&pick(*i));
            pick(*i)
        }
        Edit::Tags(i, _) | Edit::Slug(i, _) | Edit::Period(i, _) => {
            apply_shape(&pick(*i), e);
            pick(*i)
        }
        // Another company for a brief of a company without a file (one of
        // Meridian's would lose the history its charts are drawn from).
        Edit::Company(i, _) | Edit::Ticker(i, _) => {
            let own: Vec<&PathBuf> = all
                .iter()
                .filter(|p| !p.to_string_lossy().contains("meridian"))
                .collect();
            let path = own[i % own.len()].clone();
            apply_shape(&path, e);
            path
        }
        Edit::CompanyFile(n) => {
            let file = root.join("content/companies/meridian.md");
            replace_line(
                &file,
                "name:",
                &format!("name: {{ en: Meridian {n}, zh: 子午芯片 }}"),
            );
            file
        }
        Edit::History(n) => {
            let file = root.join("content/companies/meridian/history.csv");
            let text = fs::read_to_string(&file).expect("history");
            let lines: Vec<String> = text
                .split("\r\n")
                .map(|l| match l.strip_prefix("revenue,") {
                    // The FY2026Q3E estimate, the seventh cell.
                    Some(cells) => {
                        let mut cells: Vec<String> = cells.split(',').map(str::to_string).collect();
                        cells[6] = format!("3.{:02}bn", n % 100);
                        format!("revenue,{}", cells.join(","))
                    }
                    None => l.to_string(),
                })
                .collect();
            fs::write(&file, lines.join("\r\n")).expect("write");
            file
        }
        Edit::Strings(n) => {
            let yaml = root.join("site.yaml");
            let text = fs::read_to_string(&yaml).expect("site.yaml");
            let text = text.split("strings:").next().unwrap_or("").to_string();
            let text = format!(
                "{text}strings: {{ zh: {{ companies: 发行人{n} }}, en: {{ tags: Topics {n} }} }}\n"
            );
            fs::write(&yaml, text).expect("write");
            yaml
        }
    };
    vec![path]
}

/// Saves a file as it is (its change time moves on).
fn touch(path: &Path) {
    let text = fs::read(path).expect("read");
    fs::write(path, text).expect("write");
}

fn cases() -> u32 {
    std::env::var("TEARSHEET_INCREMENTAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// After every edit, the cached build's output — and serve's, which
    /// also reuses the pages it parsed — equals a clean build's.
    #[test]
    fn a_cached_build_equals_a_clean_build_after_any_edits(edits in prop::collection::vec(edit(), 1..5)) {
        let mut twice = Twice::new();
        for e in &edits {
            let changed = apply(twice.site.path(), e);
            twice.build(Some(changed));
            let (out, served, clean) = twice.trees();
            prop_assert!(out == clean, "after {:?}", e);
            prop_assert!(served == clean, "serve, after {:?}", e);
        }
    }
}

/// Every file of an output folder with its bytes.
type Tree = Vec<(String, Vec<u8>)>;

/// The example site built twice over: by `build` (its memo and cache on
/// disk) into `public/`, and the way serve builds (memo in memory) into
/// `served/`.
struct Twice {
    site: tempfile::TempDir,
    memo: Memo,
}

impl Twice {
    fn new() -> Twice {
        let mut twice = Twice {
            site: example_site(),
            memo: Memo::default(),
        };
        twice.build(None);
        twice
    }

    /// Builds both ways; serve's is told the files `changed`.
    fn build(&mut self, changed: Option<Vec<PathBuf>>) -> Report {
        let root = self.site.path();
        build_with_memo(root, &root.join("served"), &mut self.memo, changed);
        build(root, &root.join("public"), true)
    }

    /// The trees of `public/`, `served/` and of a clean build.
    fn trees(&self) -> (Tree, Tree, Tree) {
        let root = self.site.path();
        let clean = tempfile::tempdir().expect("temp dir");
        build(root, clean.path(), false);
        (
            tree(&root.join("public")),
            tree(&root.join("served")),
            tree(clean.path()),
        )
    }
}

/// Whether `out` holds what a clean build of the site at `root` gives.
fn equals_clean_build(root: &Path, out: &Path) -> bool {
    let clean = tempfile::tempdir().expect("temp dir");
    build(root, clean.path(), false);
    tree(out) == tree(clean.path())
}

fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).expect("metadata").ino()
}

#[test]
fn an_unchanged_site_renders_nothing_and_one_edit_renders_what_shows_it() {
    let site = example_site();
    let out = site.path().join("public");
    let first = build(site.path(), &out, true);
    assert_eq!(first.rendered, first.jobs);
    let again = build(site.path(), &out, true);
    assert_eq!(again.rendered, 0);

    let untouched = out.join("briefs/2024q2-xinghe/index.html");
    let before = inode(&untouched);
    // A summary shows on the brief, its home page, its company and tag
    // pages, the company index, the feed, the search index and the
    // title-and-summary index; the sitemap (URLs and dates), sparklines
    // and everything else stay.
    replace_line(
        &site.path().join("content/briefs/2025q2-northwind.md"),
        "summary:",
        "summary: \"Revenue up again.\"",
    );
    let edited = build(site.path(), &out, true);
    let tags = fs::read_to_string(site.path().join("content/briefs/2025q2-northwind.md"))
        .expect("read")
        .lines()
        .find(|l| l.starts_with("tags:"))
        .map(|l| l.matches(',').count() + 1)
        .unwrap_or(0);
    assert_eq!(edited.rendered, 7 + tags);
    assert_eq!(inode(&untouched), before, "an unchanged page was rewritten");
    assert!(
        fs::read_to_string(out.join("briefs/2025q2-northwind/index.html"))
            .expect("page")
            .contains("Revenue up again.")
    );
    // A line of the text renders what the summary did (a listing is
    // known by its briefs' pages whole) but the title-and-summary index.
    let brief = site.path().join("content/briefs/2025q2-northwind.md");
    let text = fs::read_to_string(&brief).expect("read");
    fs::write(&brief, format!("{text}\nOne line more.\n")).expect("write");
    let fallback = inode(&out.join("search-index.json"));
    assert_eq!(build(site.path(), &out, true).rendered, 6 + tags);
    assert_eq!(inode(&out.join("search-index.json")), fallback);
}

#[test]
fn no_cache_a_changed_template_or_a_replaced_output_render_everything() {
    let site = example_site();
    let out = site.path().join("public");
    let first = build(site.path(), &out, true);
    assert_eq!(build(site.path(), &out, false).rendered, first.jobs);

    // A template override changes every page that uses the base.
    fs::create_dir_all(site.path().join("templates")).expect("templates/");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = fs::read_to_string(repo.join("templates/base.html")).expect("base");
    fs::write(
        site.path().join("templates/base.html"),
        base.replace("</body>", "<!-- changed --></body>"),
    )
    .expect("write");
    assert_eq!(build(site.path(), &out, true).rendered, first.jobs);

    // An output the cache does not describe (here: another build's) is
    // never trusted.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    build(site.path(), elsewhere.path(), false);
    fs::remove_dir_all(&out).expect("rm");
    common::copy_dir(elsewhere.path(), &out);
    fs::write(out.join(".tearsheet-output"), "hand-made\n").expect("marker");
    assert_eq!(build(site.path(), &out, true).rendered, first.jobs);
}

/// A build of `root` into `output` with the cache, by the tearsheet
/// whose id is `tool`.
fn build_by(root: &Path, output: &Path, tool: u64) -> Report {
    let opts = Options {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        write: true,
        cache: true,
        tool,
        ..Options::default()
    };
    site::build(&opts).unwrap_or_else(|diags| panic!("build failed: {diags:?}"))
}

#[test]
fn another_tearsheet_reuses_neither_outputs_nor_memo() {
    let site = example_site();
    let out = site.path().join("public");
    let first = build_by(site.path(), &out, 1);
    let again = build_by(site.path(), &out, 1);
    assert_eq!((again.rendered, again.parsed), (0, 0));
    // Built from changed sources: every output and every file anew.
    let other = build_by(site.path(), &out, 2);
    assert_eq!(other.rendered, first.jobs);
    assert_eq!(other.parsed, first.parsed);
}

#[test]
fn a_deleted_brief_leaves_nothing_behind() {
    let site = example_site();
    let out = site.path().join("public");
    build(site.path(), &out, true);
    assert!(out.join("briefs/gallery-en/index.html").exists());
    fs::remove_file(site.path().join("content/briefs/gallery-en.md")).expect("rm");
    build(site.path(), &out, true);
    assert!(!out.join("briefs/gallery-en").exists());
    assert!(equals_clean_build(site.path(), &out));
}

/// Told which files changed (serve's watcher), a build looks at those
/// alone: it neither lists the folders again nor looks at the other
/// files, and a file added or removed makes it list them again.
#[test]
fn a_build_told_what_changed_looks_at_nothing_else() {
    let site = example_site();
    let root = site.path();
    let served = root.join("served");
    let mut memo = Memo::default();
    build_with_memo(root, &served, &mut memo, None);
    let brief = root.join("content/briefs/2025q2-northwind.md");
    replace_line(&brief, "summary:", "summary: \"Not told.\"");
    build_with_memo(root, &served, &mut memo, Some(Vec::new()));
    let page = served.join("briefs/2025q2-northwind/index.html");
    assert!(!fs::read_to_string(&page)
        .expect("page")
        .contains("Not told."));
    build_with_memo(root, &served, &mut memo, Some(vec![brief.clone()]));
    assert!(fs::read_to_string(&page)
        .expect("page")
        .contains("Not told."));
    // A new file, told of: found by listing the folder again.
    let copy = root.join("content/briefs/copy.md");
    fs::copy(&brief, &copy).expect("copy");
    build_with_memo(root, &served, &mut memo, Some(vec![copy.clone()]));
    assert!(served.join("briefs/copy/index.html").exists());
    fs::remove_file(&copy).expect("remove");
    build_with_memo(root, &served, &mut memo, Some(vec![copy]));
    assert!(!served.join("briefs/copy").exists());
    assert!(equals_clean_build(root, &served));
}

/// What a rebuild reuses from the last (the index, built from where
/// pages sit) never includes an error: an edit that moves the lines of a
/// brief whose tags collide moves the error's line too.
#[test]
fn errors_across_pages_are_found_again_after_every_edit() {
    let site = example_site();
    let root = site.path();
    let newer = root.join("content/briefs/2025q2-northwind.md");
    let older = root.join("content/briefs/2024q2-northwind.md");
    replace_line(&newer, "tags:", "tags: [robotics, Automation]");
    let mut memo = Memo::default();
    let rebuild = |memo: &mut Memo| {
        let opts = Options {
            root: root.to_path_buf(),
            output: Some(root.join("served")),
            write: true,
            cache: true,
            changed: Some(vec![newer.clone(), older.clone()]),
            ..Options::default()
        };
        let errors = site::build_with(&opts, Some(memo)).expect_err("tags collide");
        let e = errors.iter().find(|d| d.code == "TS0230").expect("TS0230");
        e.location()
    };
    // Reported where the tag is written the second way (the older brief).
    let at = rebuild(&mut memo);
    assert!(at.ends_with("2024q2-northwind.md:9:8"), "{at}");
    replace_line(&older, "summary:", "summary: \"One\"\n# a line more");
    let at = rebuild(&mut memo);
    assert!(at.ends_with("2024q2-northwind.md:10:8"), "{at}");
}

/// Drafts are left out of the site but kept in the memo in their places
/// among the files: edits around them, and a draft published, give a
/// clean build's output.
#[test]
fn drafts_keep_their_places_between_builds() {
    let mut twice = Twice::new();
    let root = twice.site.path().to_path_buf();
    let draft = root.join("content/briefs/2024q3-northwind-draft.md");
    let text = fs::read_to_string(root.join("content/briefs/2024q3-northwind.md")).expect("read");
    fs::write(&draft, text.replacen("---\n", "---\ndraft: true\n", 1)).expect("write");
    let edited = root.join("content/briefs/2025q1-northwind.md");
    let step = |twice: &mut Twice, changed: &Path| {
        twice.build(Some(vec![changed.to_path_buf()]));
        let (out, served, clean) = twice.trees();
        assert!(out == clean);
        assert!(served == clean);
    };
    step(&mut twice, &draft);
    assert!(!root.join("served/briefs/2024q3-northwind-draft").exists());
    replace_line(&edited, "summary:", "summary: \"Around a draft.\"");
    step(&mut twice, &edited);
    replace_line(&draft, "draft:", "draft: false");
    step(&mut twice, &draft);
    assert!(root
        .join("served/briefs/2024q3-northwind-draft/index.html")
        .exists());
}

/// Regression (#7, the stored memo): pages saved without a change are read
/// again; what the rules across their company found (restatement flags,
/// sparkline histories) must still show, though the company's briefs read
/// the same as at the last build.
#[test]
fn briefs_saved_unchanged_keep_what_their_company_shows() {
    let mut twice = Twice::new();
    let all = briefs(twice.site.path());
    for brief in &all {
        touch(brief);
    }
    assert_eq!(twice.build(Some(all.clone())).parsed, all.len());
    let (out, served, clean) = twice.trees();
    assert!(out == clean);
    assert!(served == clean);
}

fn stored_memo(root: &Path) -> PathBuf {
    stored(root, "pages-")
}

/// The cache file of `root` whose name starts with `kind`.
fn stored(root: &Path, kind: &str) -> PathBuf {
    fs::read_dir(root.join(".tearsheet-cache"))
        .expect("cache folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(kind))
        })
        .unwrap_or_else(|| panic!("a stored {kind} file"))
}

/// The figures of stored pages are read only for what a build renders
/// or checks again: all of them in a first build (each brief's figures
/// go to the store as it is validated, and are read back to check and
/// render), none when nothing changed, those of the edited brief's
/// company and listings after one edit, all of them when every page
/// renders again (the output folder was removed).
#[test]
fn a_build_reads_only_the_figures_it_needs_from_the_store() {
    let site = example_site();
    // Two briefs a listing page: an edit re-renders few listings.
    let settings = site.path().join("site.yaml");
    replace_line(&settings, "per_page:", "per_page: 2");
    let out = site.path().join("public");
    let first = build(site.path(), &out, true);
    assert_eq!(first.figures_read, first.briefs);
    assert_eq!(build(site.path(), &out, true).figures_read, 0);
    replace_line(
        &site.path().join("content/briefs/2025q2-northwind.md"),
        "summary:",
        "summary: \"Revenue up again.\"",
    );
    let edited = build(site.path(), &out, true);
    assert!(
        edited.figures_read > 0 && edited.figures_read < first.briefs - 1,
        "{} of {} briefs read",
        edited.figures_read,
        first.briefs
    );
    fs::remove_dir_all(&out).expect("remove output");
    assert_eq!(build(site.path(), &out, true).figures_read, first.briefs);
}

/// A page read back from the memo holds no text; a warning found anew
/// for it (its company's rules run again after an edit to another of its
/// briefs) reads its front matter again and shows the same line and
/// column as a clean build's.
#[test]
fn warnings_on_stored_pages_show_their_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inconsistent");
    common::copy_dir(&fixture, dir.path());
    let out = dir.path().join("public");
    let shown = |r: &Report| format!("{:?}", r.warnings);
    let first = build(dir.path(), &out, true);
    assert!(shown(&first).contains("TS0321"));
    let earlier = dir.path().join("content/briefs/2025q1-acme.md");
    let text = fs::read_to_string(&earlier).expect("read");
    fs::write(&earlier, text + "\nOne more line.\n").expect("write");
    let again = build(dir.path(), &out, true);
    assert_eq!(again.parsed, 1);
    let clean = tempfile::tempdir().expect("temp dir");
    let expected = build(dir.path(), clean.path(), false);
    assert_eq!(shown(&again), shown(&expected));
    assert!(shown(&again).contains("source_line: Some(\"  revenue:"));
}

/// The figures store is appended to, and written anew once most of it is
/// figures no page points to: saving briefs again and again keeps it
/// within twice its size.
#[test]
fn the_figures_store_is_rewritten_once_mostly_stale() {
    let site = example_site();
    let out = site.path().join("public");
    build(site.path(), &out, true);
    let store = stored(site.path(), "figures-");
    let size = || fs::metadata(&store).expect("store").len();
    let first = size();
    let mut largest = first;
    // One company's briefs, saved again (their company is checked again,
    // so all of its briefs' figures are stored anew).
    let company: Vec<PathBuf> = briefs(site.path())
        .into_iter()
        .filter(|b| b.to_string_lossy().contains("northwind"))
        .collect();
    for _ in 0..5 {
        for brief in &company {
            touch(brief);
        }
        build(site.path(), &out, true);
        largest = largest.max(size());
    }
    assert!(largest > first, "never appended to");
    assert!(largest <= 2 * first, "{largest} bytes, from {first}");
    assert!(equals_clean_build(site.path(), &out));
    fs::remove_dir_all(&out).expect("remove output");
    assert_eq!(build(site.path(), &out, true).parsed, 0);
    assert!(equals_clean_build(site.path(), &out));
}

/// Figures that do not read back as stored (the store damaged, cut
/// short or replaced) make the build leave the memo aside and read every
/// file: the output is a clean build's.
#[test]
fn damaged_figures_make_the_build_read_every_file() {
    let site = example_site();
    let out = site.path().join("public");
    let all = build(site.path(), &out, true).parsed;
    let figures = stored(site.path(), "figures-");
    let bytes = fs::read(&figures).expect("figures");
    let clean = tempfile::tempdir().expect("temp dir");
    build(site.path(), clean.path(), false);
    for (i, (damaged, parsed)) in [
        // Every record damaged, the store's id intact.
        (
            bytes[..8]
                .iter()
                .copied()
                .chain(bytes[8..].iter().map(|b| b ^ 0x5a))
                .collect::<Vec<u8>>(),
            all,
        ),
        // Cut short: the pages point past its end.
        (bytes[..bytes.len() / 2].to_vec(), all),
        // Another store (another id).
        (bytes.iter().map(|b| b ^ 0x5a).collect(), all),
    ]
    .into_iter()
    .enumerate()
    {
        fs::write(&figures, &damaged).expect("damage");
        fs::remove_dir_all(&out).expect("remove output");
        let report = build(site.path(), &out, true);
        assert_eq!(report.parsed, parsed);
        assert!(tree(&out) == tree(clean.path()));
        // Stored again: the next build reads them back.
        fs::remove_dir_all(&out).expect("remove output");
        let again = build(site.path(), &out, true);
        assert_eq!(
            (again.parsed, again.figures_read),
            (0, again.briefs),
            "after a store {}",
            ["damaged", "cut short", "replaced"][i]
        );
        assert!(tree(&out) == tree(clean.path()));
    }
}

/// `build` keeps its memo of pages on disk: the next build parses only
/// the files that changed; a memo that cannot be read (damaged, cut
/// short, another format) is ignored and every file is parsed.
#[test]
fn build_parses_only_changed_files_and_ignores_a_damaged_memo() {
    let site = example_site();
    let out = site.path().join("public");
    let all = build(site.path(), &out, true).parsed;
    assert!(all > 10);
    assert_eq!(build(site.path(), &out, true).parsed, 0);
    replace_line(
        &site.path().join("content/briefs/2025q2-northwind.md"),
        "summary:",
        "summary: \"Revenue up again.\"",
    );
    assert_eq!(build(site.path(), &out, true).parsed, 1);
    assert_eq!(build(site.path(), &out, true).parsed, 0);

    let memo = stored_memo(site.path());
    let bytes = fs::read(&memo).expect("memo");
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        bytes.iter().map(|b| b ^ 0x5a).collect(),
        Vec::new(),
    ] {
        fs::write(&memo, &damaged).expect("damage");
        assert_eq!(build(site.path(), &out, true).parsed, all);
        assert!(equals_clean_build(site.path(), &out));
    }
    // --no-cache reads every file and leaves the memo alone.
    assert_eq!(build(site.path(), &out, false).parsed, all);
}

#[test]
fn a_company_file_edit_touches_its_briefs_and_page_and_nothing_else() {
    let site = example_site();
    let out = site.path().join("public");
    build(site.path(), &out, true);
    let other = out.join("companies/nwrb.demo/index.html");
    let other_brief = out.join("briefs/2024q2-northwind/index.html");
    let (before, brief_before) = (inode(&other), inode(&other_brief));
    let file = site.path().join("content/companies/meridian.md");
    replace_line(
        &file,
        "name:",
        "name: { en: Meridian Renamed, zh: 子午芯片 }",
    );
    let report = build(site.path(), &out, true);
    // The two Meridian briefs are validated again, no other file.
    assert_eq!(report.parsed, 2);
    let page = fs::read_to_string(out.join("briefs/fy2026q2-meridian/index.html")).expect("read");
    assert!(page.contains("Meridian Renamed"));
    assert_eq!(
        inode(&other),
        before,
        "another company's page was written again"
    );
    assert_eq!(
        inode(&other_brief),
        brief_before,
        "another company's brief was written again"
    );
    assert!(equals_clean_build(site.path(), &out));
}

/// The search records a build makes go to the cache folder as the search
/// job has them, and the next build reads them back: it cuts only the
/// text of a brief that changed. A failed build leaves nothing of its
/// records behind.
#[test]
fn search_records_are_kept_for_the_next_build() {
    let site = example_site();
    let out = site.path().join("public");
    let first = build(site.path(), &out, true);
    assert_eq!(first.texts_cut, first.briefs);
    assert_eq!(build(site.path(), &out, true).texts_cut, 0);
    let northwind = site.path().join("content/briefs/2025q2-northwind.md");
    replace_line(&northwind, "summary:", "summary: \"Revenue up again.\"");
    assert_eq!(build(site.path(), &out, true).texts_cut, 1);
    // The records written by that build, most of them read back from
    // the first: another edit cuts one text again.
    let other = briefs(site.path())
        .into_iter()
        .find(|p| p != &northwind && fs::read_to_string(p).is_ok_and(|t| t.contains("summary:")))
        .expect("another brief");
    replace_line(&other, "summary:", "summary: \"Edited.\"");
    assert_eq!(build(site.path(), &out, true).texts_cut, 1);
    assert_eq!(build(site.path(), &out, false).texts_cut, first.briefs);

    // A damaged file is no records: every text is cut again.
    let records = stored(site.path(), "search");
    let bytes = fs::read(&records).expect("records");
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        bytes.iter().map(|b| b ^ 0x5a).collect(),
    ] {
        fs::write(&records, &damaged).expect("damage");
        replace_line(
            &other,
            "summary:",
            &format!("summary: \"{}\"", damaged.len()),
        );
        assert_eq!(build(site.path(), &out, true).texts_cut, first.briefs);
        assert!(equals_clean_build(site.path(), &out));
    }

    // Part files of builds killed before they removed their own go once
    // a build puts its records in place; a running process's (here,
    // this one's) stay.
    let cache = site.path().join(".tearsheet-cache");
    let killed = cache.join("search-999999999-0123456789abcdef.bin.part");
    let running = cache.join(format!(
        "search-{}-0123456789abcdef.bin.part",
        std::process::id()
    ));
    for part in [&killed, &running] {
        fs::write(part, b"part").expect("part file");
    }
    replace_line(&other, "summary:", "summary: \"Edited again.\"");
    assert_eq!(build(site.path(), &out, true).texts_cut, 1);
    assert!(!killed.exists() && running.exists());
    fs::remove_file(&running).expect("remove");

    replace_line(&other, "summary:", "summary: [unclosed");
    try_build(site.path(), &out, true).expect_err("a brief does not parse");
    let left: Vec<String> = fs::read_dir(&cache)
        .expect("cache folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
