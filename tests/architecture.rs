//! The shape of the code, held as data: the layers of `src/` and which
//! way their imports point, and the length of functions.
//!
//! Every top-level module of `src/` sits in one layer of [`LAYERS`]; a
//! module may use modules of the layers below its own, never one of its
//! own layer or above (so no two top-level modules import each other).
//! Every `crate::` path in a file counts, in `use` items and in code.
//! No function in `src/` is longer than [`MAX_FN_LINES`] lines, from its
//! `fn` line to its closing brace, comments included.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers, lowest first. Foundation modules depend on nothing of the
/// crate (a request to stop a build only on diagnostics); the pipeline runs load → model ← check ← render ← write; the
/// incremental room (memo, build cache, fingerprints) sits above the
/// pipeline it remembers, and `site` runs it all; the commands and their
/// servers on top.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &["diagnostic", "hash", "heap", "tool", "usage"],
    ),
    ("stop requests", &["cancel"]),
    ("model", &["model"]),
    ("load", &["load"]),
    ("check", &["check"]),
    ("render", &["render"]),
    ("write", &["write"]),
    ("incremental", &["incremental"]),
    ("site", &["site"]),
    ("front ends", &["export", "serve", "interrupt"]),
    ("commands", &["cmd"]),
];

/// Longest function allowed in `src/`, in lines.
const MAX_FN_LINES: usize = 100;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`None` for the
/// crate roots, `lib.rs` and `main.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// Every `crate::<module>` a file names, with the line it is named on.
#[derive(Default)]
struct Uses {
    found: Vec<(String, usize)>,
}

impl Uses {
    fn tree(&mut self, tree: &syn::UseTree, under_crate: bool) {
        match tree {
            syn::UseTree::Path(p) if p.ident == "crate" => self.next_of_crate(&p.tree),
            syn::UseTree::Path(p) if under_crate => {
                self.note(&p.ident);
            }
            syn::UseTree::Name(n) if under_crate => self.note(&n.ident),
            syn::UseTree::Rename(r) if under_crate => self.note(&r.ident),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(t, under_crate);
                }
            }
            syn::UseTree::Path(_)
            | syn::UseTree::Name(_)
            | syn::UseTree::Rename(_)
            | syn::UseTree::Glob(_) => {}
        }
    }

    /// The tree after `crate::`: its first names are top-level modules.
    fn next_of_crate(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(t, true);
                }
            }
            other => self.tree(other, true),
        }
    }

    fn note(&mut self, ident: &syn::Ident) {
        self.found
            .push((ident.to_string(), ident.span().start().line));
    }
}

impl<'ast> Visit<'ast> for Uses {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&u.tree, false);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let mut segments = p.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next()) {
            if first.ident == "crate" {
                self.note(&second.ident);
            }
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Paths inside macro calls (format!, matches!, ...) are tokens.
        let tokens: Vec<proc_macro2::TokenTree> = m.tokens.clone().into_iter().collect();
        for w in tokens.windows(4) {
            if let [proc_macro2::TokenTree::Ident(c), proc_macro2::TokenTree::Punct(a), proc_macro2::TokenTree::Punct(b), proc_macro2::TokenTree::Ident(module)] =
                w
            {
                if c == "crate" && a.as_char() == ':' && b.as_char() == ':' {
                    self.note(module);
                }
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

/// Every function with a body and its length in lines.
#[derive(Default)]
struct Lengths {
    found: Vec<(String, usize, usize)>,
}

impl Lengths {
    fn note(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        self.found
            .push((name.to_string(), start, end.saturating_sub(start) + 1));
    }
}

impl<'ast> Visit<'ast> for Lengths {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.note(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.note(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.note(&f.sig.ident, &f.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

fn parse(path: &Path, text: &str) -> syn::File {
    syn::parse_file(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What is wrong with the imports of one file of module `module`.
fn import_problems(module: &str, file: &str, text: &str) -> Vec<String> {
    let Some(own) = layer_of(module) else {
        return vec![format!(
            "{file}: module `{module}` is in no layer (add it to LAYERS in tests/architecture.rs)"
        )];
    };
    let mut uses = Uses::default();
    uses.visit_file(&parse(Path::new(file), text));
    let mut problems = BTreeSet::new();
    for (used, line) in uses.found {
        if used == module {
            continue;
        }
        match layer_of(&used) {
            Some(l) if l < own => {}
            Some(l) => {
                problems.insert(format!(
                    "{file}:{line}: `{module}` ({}) uses `{used}` ({}), which is not below it",
                    LAYERS[own].0, LAYERS[l].0
                ));
            }
            None => {
                problems.insert(format!("{file}:{line}: `{used}` is in no layer"));
            }
        }
    }
    problems.into_iter().collect()
}

fn long_functions(file: &str, text: &str) -> Vec<String> {
    let mut lengths = Lengths::default();
    lengths.visit_file(&parse(Path::new(file), text));
    lengths
        .found
        .into_iter()
        .filter(|(_, _, len)| *len > MAX_FN_LINES)
        .map(|(name, line, len)| format!("{file}:{line}: `{name}` is {len} lines"))
        .collect()
}

fn src_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for file in src_files() {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let shown = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .display()
            .to_string();
        problems.extend(import_problems(&module, &shown, &read(&file)));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = read(&src.join("lib.rs"));
    let declared: Vec<String> = parse(&src.join("lib.rs"), &lib)
        .items
        .iter()
        .filter_map(|i| match i {
            // Files of their own (an inline `mod { .. }` is a facade).
            syn::Item::Mod(m) if m.content.is_none() => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert!(declared.len() > 5, "{declared:?}");
    let unplaced: Vec<&String> = declared.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(unplaced.is_empty(), "modules in no layer: {unplaced:?}");
}

#[test]
fn no_function_is_longer_than_a_screen() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for file in src_files() {
        let shown = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .display()
            .to_string();
        problems.extend(long_functions(&shown, &read(&file)));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_checks_see_what_they_forbid() {
    // An upward import in a use tree, a path in code and one in a macro.
    let model = "use crate::{diagnostic::Diagnostic, render::html};\n\
                 fn f() { crate::site::build(); }\n\
                 fn g() { let _ = format!(\"{}\", crate::load::read()); }\n";
    assert_eq!(
        import_problems("model", "model/x.rs", model),
        [
            "model/x.rs:1: `model` (model) uses `render` (render), which is not below it",
            "model/x.rs:2: `model` (model) uses `site` (site), which is not below it",
            "model/x.rs:3: `model` (model) uses `load` (load), which is not below it",
        ]
    );
    // Peers of one layer may not use each other either.
    assert_eq!(
        import_problems("serve", "serve/x.rs", "use crate::export::run;\n"),
        ["serve/x.rs:1: `serve` (front ends) uses `export` (front ends), which is not below it"]
    );
    let long = format!("fn long() {{\n{}}}\n", "    let _ = 1;\n".repeat(99));
    assert_eq!(
        long_functions("x.rs", &long),
        ["x.rs:1: `long` is 101 lines"]
    );
    let short = format!("fn short() {{\n{}}}\n", "    let _ = 1;\n".repeat(98));
    assert!(long_functions("x.rs", &short).is_empty());
}
