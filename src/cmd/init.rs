//! `tearsheet init DIR`: a new site that builds as it is — site.yaml, one
//! example brief of a fictional company and that company's file, an
//! about page.

use std::path::PathBuf;

use crate::model::date::Date;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet init my-research\n  cd my-research && tearsheet build"
)]
pub struct Args {
    /// The folder to create (must be empty or absent)
    pub dir: PathBuf,
    /// Default language of the site
    #[arg(long, value_parser = ["zh", "en"], default_value = "zh")]
    pub lang: String,
}

pub fn run(args: Args) -> i32 {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!(
            "error: {} exists and is not empty; tearsheet init only creates new sites",
            dir.display()
        );
        return 1;
    }
    let zh = args.lang == "zh";
    let site_yaml = if zh {
        "title: 研究简报\nbase_url: https://example.org/\nlang: zh\ncurrency: CNY\ndisclaimer: 本文仅供参考，不构成投资建议。\nper_page: 20\n"
    } else {
        "title: Research\nbase_url: https://example.org/\nlang: en\ncurrency: USD\ndisclaimer: For information only; not investment advice.\nper_page: 20\n"
    };
    let about = if zh {
        "---\ntitle: 关于\n---\n\n本站由 tearsheet 生成。示例简报中的公司与数据均为虚构。\n"
    } else {
        "---\ntitle: About\n---\n\nThis site is built with tearsheet. The example brief's company and figures are fictional.\n"
    };
    let brief = crate::cmd::new::skeleton(Date::today(), &args.lang);
    let files = [
        ("site.yaml", site_yaml.to_string()),
        ("content/about.md", about.to_string()),
        ("content/briefs/example.md", brief),
        (
            "content/companies/example.md",
            crate::cmd::new_company::skeleton(if zh { "0000.HK" } else { "TICK" }, &args.lang),
        ),
        (".gitignore", "public/\n.tearsheet-cache/\n".to_string()),
        (".github/workflows/pages.yml", PAGES_WORKFLOW.to_string()),
        ("netlify.toml", NETLIFY.to_string()),
        ("static/.nojekyll", String::new()),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        let result = path
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .and_then(|_| std::fs::write(&path, text));
        if let Err(e) = result {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    println!(
        "Created a new site in {}\nNext: cd {} && tearsheet build",
        dir.display(),
        dir.display()
    );
    0
}

/// GitHub Pages: build with the Pages URL as base_url, deploy with
/// GitHub's own Pages actions.
const PAGES_WORKFLOW: &str = r#"name: Publish to GitHub Pages
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install tearsheet
        run: cargo install tearsheet --locked
      - name: Check the figures
        run: tearsheet check
      - name: Build
        run: tearsheet build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

/// Netlify: build command, output folder, and long caching for assets.
const NETLIFY: &str = r#"[build]
  command = "cargo install tearsheet --locked && tearsheet check && tearsheet build --base-url \"$URL/\""
  publish = "public"

[[headers]]
  for = "/*.svg"
  [headers.values]
    Cache-Control = "public, max-age=3600"
"#;
