//! The full-text search index: built on a small site, then queried the
//! way static/search.js queries it in the browser (the lookup in Rust,
//! `tearsheet::testing::search`): words only in a brief's text are found,
//! in Chinese and English; filters narrow; title and company matches come
//! first; the index is the same however the site was built.

mod common;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use std::fs;
use std::path::Path;

use common::{tearsheet, tree};
use tearsheet::testing::search::{search, Layout};

fn brief(dir: &Path, slug: &str, front: &str, body: &str) {
    fs::write(
        dir.join(format!("content/briefs/{slug}.md")),
        format!("---\n{front}\n---\n\n{body}\n"),
    )
    .unwrap();
}

/// A site of five briefs: two companies, zh and en, with words that sit
/// only in one brief's text.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content/briefs")).unwrap();
    fs::write(
        dir.path().join("site.yaml"),
        "title: T\nbase_url: https://example.org/\nlang: zh\n",
    )
    .unwrap();
    brief(
        dir.path(),
        "2025q1-northwind",
        "title: Northwind Q1 2025\ndate: 2025-05-01\ncompany: { name: Northwind Robotics, ticker: NWR, sector: Robotics }\nperiod: 2025Q1\nlang: en\ntags: [Automation]\nsummary: Orders grew.\nmetrics:\n  revenue: { label: Revenue, value: 12.5bn }",
        "## Outlook\n\nManagement expects photolithography tools to ship later; revenue {{ metric(id=\"revenue\") }} grew.",
    );
    brief(
        dir.path(),
        "2025q2-meridian",
        "title: Meridian Q2 2025\ndate: 2025-08-01\ncompany: { name: Meridian Chips, ticker: MRD, sector: Semiconductors }\nperiod: 2025Q2\nlang: en\ntags: [Chips]\nsummary: Margins held.",
        "Unlike Northwind Robotics, the company grew its foundry business.",
    );
    brief(
        dir.path(),
        "2025q2-xinghe",
        "title: 星河云计算 2025 年二季度\ndate: 2025-08-10\ncompany: { name: 星河云计算, ticker: XHYJ, sector: 云计算 }\nperiod: 2025Q2\nlang: zh\ntags: [云计算]\nsummary: 收入增长。",
        "管理层表示，新一代光刻机的订单将在下半年交付。",
    );
    brief(
        dir.path(),
        "2025q1-xinghe",
        "title: 星河云计算 2025 年一季度\ndate: 2025-05-10\ncompany: { name: 星河云计算, ticker: XHYJ, sector: 云计算 }\nperiod: 2025Q1\nlang: zh\ntags: [云计算]\nsummary: 收入增长。",
        "数据中心的需求保持强劲，Northwind 等客户增加了采购。",
    );
    brief(
        dir.path(),
        "2025q2-northwind",
        "title: Northwind Q2 2025\ndate: 2025-08-05\ncompany: { name: Northwind Robotics, ticker: NWR, sector: Robotics }\nperiod: 2025Q2\nlang: en\ntags: [Automation]\nsummary: Orders grew again.",
        "Deliveries of arms grew; the backlog is steady.",
    );
    dir
}

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let src = site();
    let out = tempfile::tempdir().unwrap();
    let run = tearsheet(
        &["build", "--no-cache", "-o", out.path().to_str().unwrap()],
        Some(src.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (src, out)
}

fn urls(out: &Path, query: &str, filters: &[(&str, &str)]) -> Vec<String> {
    search(out, query, filters, 10)
        .expect("the index reads")
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn a_word_only_in_the_text_is_found_in_english_and_chinese() {
    let (_src, out) = built();
    assert_eq!(
        urls(out.path(), "photolithography", &[]),
        ["briefs/2025q1-northwind/"]
    );
    // Plural and capitals fold to the same term.
    assert_eq!(
        urls(out.path(), "Photolithography TOOL", &[]),
        ["briefs/2025q1-northwind/"]
    );
    assert_eq!(urls(out.path(), "光刻机", &[]), ["briefs/2025q2-xinghe/"]);
    assert_eq!(urls(out.path(), "光刻", &[]), ["briefs/2025q2-xinghe/"]);
    // Every term must be there: 光刻 and 需求 are in different briefs.
    assert_eq!(urls(out.path(), "光刻 需求", &[]), Vec::<String>::new());
    // A body function's text is not indexed as words.
    assert_eq!(urls(out.path(), "metric", &[]), Vec::<String>::new());
    let hit = &search(out.path(), "光刻机", &[], 10).unwrap().hits[0];
    assert_eq!(hit.title, "星河云计算 2025 年二季度");
    assert_eq!(hit.company, "星河云计算");
    assert_eq!(hit.date, "2025-08-10");
    assert_eq!(
        hit.excerpt,
        "管理层表示，新一代光刻机的订单将在下半年交付。"
    );
}

#[test]
fn a_filter_narrows_the_results() {
    let (_src, out) = built();
    assert_eq!(
        urls(out.path(), "grew", &[]),
        [
            "briefs/2025q2-northwind/",
            "briefs/2025q2-meridian/",
            "briefs/2025q1-northwind/"
        ]
    );
    assert_eq!(
        urls(out.path(), "grew", &[("company", "Northwind Robotics")]),
        ["briefs/2025q2-northwind/", "briefs/2025q1-northwind/"]
    );
    assert_eq!(
        urls(out.path(), "grew", &[("sector", "Semiconductors")]),
        ["briefs/2025q2-meridian/"]
    );
    assert_eq!(
        urls(out.path(), "", &[("tag", "云计算"), ("lang", "zh")]),
        ["briefs/2025q2-xinghe/", "briefs/2025q1-xinghe/"]
    );
    let filters: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join(Layout::FILTERS)).unwrap()).unwrap();
    assert_eq!(
        filters["company"],
        serde_json::json!({"Meridian Chips": 1, "Northwind Robotics": 2, "星河云计算": 2})
    );
}

#[test]
fn title_and_company_matches_rank_first() {
    let (_src, out) = built();
    // Newest first would put Meridian (Aug 1) and 星河 Q1 (May 10, text
    // only) among Northwind's own briefs; the company's own come first.
    let answer = search(out.path(), "northwind", &[], 10).unwrap();
    let ranked: Vec<(String, usize)> = answer.hits.into_iter().map(|h| (h.url, h.head)).collect();
    assert_eq!(
        ranked,
        [
            ("briefs/2025q2-northwind/".to_string(), 1),
            ("briefs/2025q1-northwind/".to_string(), 1),
            ("briefs/2025q2-meridian/".to_string(), 0),
            ("briefs/2025q1-xinghe/".to_string(), 0),
        ]
    );
}

#[test]
fn a_query_reads_the_manifest_its_terms_shards_and_its_results_blocks() {
    let (_src, out) = built();
    let answer = search(out.path(), "光刻机", &[], 10).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join(Layout::MANIFEST)).unwrap()).unwrap();
    assert_eq!(manifest["docs"], 5);
    let shards = manifest["shards"].as_u64().unwrap() as u32;
    let mut expected = vec![Layout::MANIFEST.to_string()];
    for term in ["光刻", "刻机"] {
        let shard = Layout::shard(
            tearsheet::testing::search::fnv1a(term.as_bytes()) & (shards - 1),
            shards,
        );
        if !expected.contains(&shard) {
            expected.push(shard);
        }
    }
    expected.push(Layout::block(0));
    assert_eq!(answer.files, expected);
    let size = |p: &String| fs::metadata(out.path().join(p)).unwrap().len();
    assert_eq!(answer.bytes, expected.iter().map(size).sum::<u64>());
}

#[test]
fn the_index_is_the_same_built_again_and_after_an_edit_and_back() {
    let (src, out) = built();
    let snapshot = |out: &Path| tree(&out.join("search"));
    let clean = snapshot(out.path());
    let out2 = tempfile::tempdir().unwrap();
    let o2 = out2.path().to_str().unwrap();
    assert_eq!(tearsheet(&["build", "-o", o2], Some(src.path())).code, 0);
    // An edit is searchable after a cached build...
    let file = src.path().join("content/briefs/2025q2-northwind.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("backlog", "cobalt")).unwrap();
    assert_eq!(tearsheet(&["build", "-o", o2], Some(src.path())).code, 0);
    assert_eq!(
        urls(out2.path(), "cobalt", &[]),
        ["briefs/2025q2-northwind/"]
    );
    assert_eq!(urls(out2.path(), "backlog", &[]), Vec::<String>::new());
    // ...and undone, the index is byte for byte the clean build's.
    fs::write(&file, text).unwrap();
    assert_eq!(tearsheet(&["build", "-o", o2], Some(src.path())).code, 0);
    assert_eq!(snapshot(out2.path()), clean);
}

/// A site larger than the chunk of briefs the index is made in (256): a
/// word only in the text of the oldest brief (the last document, in the
/// second chunk) is found, and the index made for one build
/// (`--no-cache`, records not kept) is the index of a cached build
/// (records kept for the next), byte for byte.
#[test]
fn an_index_made_in_chunks_finds_the_last_brief_and_is_the_same_cached() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    gen_corpus::generate(280, &root).unwrap();
    let oldest = root.join("content/briefs/1995q1-ex00-demo.md");
    let text = fs::read_to_string(&oldest).unwrap();
    fs::write(&oldest, format!("{text}\nThe zymurgy line.\n")).unwrap();
    let (once, cached) = (dir.path().join("once"), dir.path().join("cached"));
    for (out, flags) in [(&once, &["--no-cache"][..]), (&cached, &[][..])] {
        let mut args = vec!["build", "--quiet", "-o", out.to_str().unwrap()];
        args.extend_from_slice(flags);
        let run = tearsheet(&args, Some(&root));
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(urls(&once, "zymurgy", &[]), ["briefs/1995q1-ex00-demo/"]);
    let manifest = fs::read_to_string(once.join(Layout::MANIFEST)).unwrap();
    assert!(manifest.contains("\"docs\":280"), "{manifest}");
    assert!(once.join(Layout::block(17)).is_file());
    assert!(!once.join(Layout::block(18)).exists());
    assert!(
        tree(&once.join("search")) == tree(&cached.join("search")),
        "the two indexes differ"
    );
}

/// Serve keeps the index it wrote and, after an edit, writes only the
/// files the edit changed: a block far from the edited brief, altered in
/// the output behind serve's back, stays as it is (the index was not
/// written whole), the edit is searchable, and with that block put back
/// the index is byte for byte a clean build's — after the edit, and after
/// it is undone.
#[test]
fn serve_brings_the_index_up_to_date_rewriting_only_what_an_edit_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = tearsheet::testing::absolute(&dir.path().join("site"));
    gen_corpus::generate(280, &root).unwrap();
    let served = dir.path().join("served");
    let mut memo = tearsheet::Memo::default();
    let build = |memo: &mut tearsheet::Memo, changed: Vec<std::path::PathBuf>| {
        let opts = tearsheet::Options {
            root: root.clone(),
            output: Some(served.clone()),
            write: true,
            cache: true,
            changed: Some(changed),
            ..tearsheet::Options::default()
        };
        tearsheet::build_with(&opts, Some(memo)).expect("build");
    };
    build(&mut memo, Vec::new());
    // The oldest brief is the last document, in the last block (17).
    let oldest = root.join("content/briefs/1995q1-ex00-demo.md");
    let text = fs::read_to_string(&oldest).unwrap();
    let newest = served.join(Layout::block(0));
    let block = fs::read(&newest).unwrap();
    for edited in [format!("{text}\nThe zymurgy line.\n"), text.clone()] {
        fs::write(&newest, b"[]").unwrap();
        fs::write(&oldest, &edited).unwrap();
        build(&mut memo, vec![oldest.clone()]);
        assert!(
            fs::read(&newest).unwrap() == b"[]",
            "block 0 was written again"
        );
        let found = urls(&served, "zymurgy", &[]);
        let want: &[&str] = match edited.contains("zymurgy") {
            true => &["briefs/1995q1-ex00-demo/"],
            false => &[],
        };
        assert_eq!(found, want);
        fs::write(&newest, &block).unwrap();
        let clean = dir.path().join("clean");
        let o = clean.to_str().unwrap();
        let run = tearsheet(&["build", "--quiet", "--no-cache", "-o", o], Some(&root));
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            tree(&served.join("search")) == tree(&clean.join("search")),
            "the index differs from a clean build's"
        );
    }
}

/// What queries download on a built site, by the Rust lookup:
/// `TEARSHEET_SEARCH_SITE=/dev/shm/c100k/public cargo test --release
/// --test search bytes_per_query -- --nocapture` (skipped without it).
/// Prints, per query, the bytes and files it reads for its first 10
/// results; fails over 300 KB.
#[test]
fn bytes_per_query() {
    let Some(site) = std::env::var_os("TEARSHEET_SEARCH_SITE") else {
        return;
    };
    let site = Path::new(&site);
    let queries: [(&str, &[(&str, &str)]); 9] = [
        ("增长", &[]),
        ("公司 用户 估值", &[]),
        ("growth margin", &[]),
        ("cloud revenue guidance", &[]),
        ("示例公司07", &[]),
        ("Example Co 12", &[]),
        ("revenue", &[("company", "Example Co 03")]),
        ("需求 风险", &[("tag", "sector-5"), ("lang", "zh")]),
        ("channel demand risk", &[]),
    ];
    let mut worst = 0;
    for (q, filters) in queries {
        let a = search(site, q, filters, 10).expect("the index reads");
        println!(
            "{q:?} {filters:?}: {} matches, {} bytes in {} files ({} shard bytes)",
            a.total,
            a.bytes,
            a.files.len(),
            a.files
                .iter()
                .filter(|f| f.starts_with("search/t/"))
                .map(|f| fs::metadata(site.join(f)).unwrap().len())
                .sum::<u64>()
        );
        assert!(a.total > 0, "{q}: no results");
        worst = worst.max(a.bytes);
    }
    println!("largest: {worst} bytes");
    assert!(worst <= 300 * 1024);
}
