//! The docs keep up with the code: every diagnostic code raised in src/
//! has its section in docs/diagnostics.md, and every built-in template is
//! documented in docs/templates.md, and the results-note walkthrough of
//! docs/format.md checks clean.

mod common;

use std::path::Path;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_diagnostic_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = read(&root.join("docs/diagnostics.md"));
    let mut codes = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = read(entry.path());
            for (i, _) in text.match_indices("\"TS") {
                let code = &text[i + 1..(i + 7).min(text.len())];
                if code[2..].chars().all(|c| c.is_ascii_digit())
                    && !codes.contains(&code.to_string())
                {
                    codes.push(code.to_string());
                }
            }
        }
    }
    assert!(codes.len() > 40, "found only {} codes", codes.len());
    for code in codes {
        assert!(
            docs.contains(&format!("### {code}")),
            "{code} is not documented in docs/diagnostics.md"
        );
    }
}

#[test]
fn every_built_in_template_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = read(&root.join("docs/templates.md"));
    for (name, _) in tearsheet::testing::BUILTIN_TEMPLATES {
        assert!(
            docs.contains(&format!("`{name}`")),
            "{name} is not in docs/templates.md"
        );
    }
}

/// The results-note walkthrough in docs/format.md is a whole brief: it
/// must check clean as written, so the guide never shows a brief that
/// fails.
#[test]
fn the_results_note_walkthrough_checks_clean() {
    let guide = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"));
    let section = &guide[guide
        .find("## A results note, start to finish")
        .expect("the walkthrough")..];
    let start = section.find("```yaml\n").expect("its brief") + "```yaml\n".len();
    let brief = &section[start..start + section[start..].find("\n```").expect("closed")];
    let site = tempfile::tempdir().expect("temp dir");
    let dir = site.path().join("content/briefs");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("results.md"), brief).expect("write");
    let run = common::tearsheet(
        &["check", "--root", site.path().to_str().expect("utf-8")],
        None,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

/// Every UI string key (src/model/strings.rs) is listed among `t`'s keys
/// in docs/templates.md, so a theme author and a site's `strings:` can
/// find it.
#[test]
fn every_ui_string_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = read(&root.join("src/model/strings.rs"));
    let table = &table[table.find("strings! {").expect("the table")..];
    let table = &table[..table.find("\n}").expect("its end")];
    let docs = read(&root.join("docs/templates.md"));
    let keys = &docs[docs.find("`t` keys").expect("the list of t's keys")..];
    let keys = &keys[..keys.find("\n\n").expect("one paragraph")];
    let missing: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim().split('"').nth(1))
        .filter(|name| !keys.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/templates.md: {missing:?}");
}
