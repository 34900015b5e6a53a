//! `tearsheet build`: the site into the output folder.

use std::path::PathBuf;
use std::time::Instant;

use crate::cmd::print_diagnostics;
use crate::site::{self, Options};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet build\n  tearsheet build --root my-site --output dist\n  tearsheet build --base-url https://user.github.io/research/ --drafts"
)]
pub struct Args {
    /// The site folder (holds site.yaml and content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Override site.yaml's base_url (e.g. for a preview deployment)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Fail (exit 1, output untouched) when there are warnings
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how long each step took
    #[arg(long)]
    pub timings: bool,
    /// Render every page, ignoring the build cache (.tearsheet-cache/)
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: Args) -> i32 {
    let start = Instant::now();
    let cancel = crate::cancel::Cancel::default();
    crate::interrupt::install(&cancel);
    let opts = Options {
        root: args.root.clone(),
        output: args.output.clone(),
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        write: true,
        deny_warnings: args.deny_warnings,
        inject: None,
        // Not a terminal: no bar, and no cost of telling one.
        progress: (!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .then(crate::cmd::progress::bar),
        cache: !args.no_cache,
        changed: None,
        cache_dir: cache_dir_from_env(),
        tool: crate::tool::id(),
        cancel: cancel.clone(),
    };
    let built = site::build(&opts);
    // The progress bar off the terminal before anything is printed.
    drop(opts);
    match built {
        Ok(report) => {
            if args.quiet {
                return 0;
            }
            print_diagnostics(&report.warnings);
            let out = args.output.unwrap_or_else(|| args.root.join("public"));
            let reused = report.jobs - report.rendered;
            println!(
                "Built {}, {}, {} into {} in {}{}",
                count(report.briefs, "brief"),
                count(report.charts, "chart"),
                count(report.pages, "page"),
                out.display(),
                elapsed(start.elapsed()),
                if reused > 0 {
                    format!(
                        " ({} of {} outputs unchanged)",
                        thousands(reused),
                        thousands(report.jobs)
                    )
                } else {
                    String::new()
                }
            );
            if args.timings {
                // Peak memory by step, where the system says (one per step).
                let peaks = report.peak_rss.len() == report.timings.len();
                for (i, (step, d)) in report.timings.iter().enumerate() {
                    match peaks {
                        true => println!(
                            "  {step:<15} {:>8.1} ms   peak {:>7.1} MiB",
                            d.as_secs_f64() * 1000.0,
                            report.peak_rss[i] as f64 / 1024.0
                        ),
                        false => println!("  {step:<15} {:>8.1} ms", d.as_secs_f64() * 1000.0),
                    }
                }
                if let Some((user, system, rss)) = crate::usage::process() {
                    println!("  cpu user        {:>8.1} ms", user * 1000.0);
                    println!("  cpu system      {:>8.1} ms", system * 1000.0);
                    println!("  peak RSS        {:>8.1} MiB", rss as f64 / 1024.0);
                }
            }
            0
        }
        Err(diags) => {
            print_diagnostics(&diags);
            if let Some(sig) = cancel.requested() {
                eprintln!("The build was interrupted; the previous output was left as it was.");
                return 128 + sig;
            }
            eprintln!("The build failed; the previous output was left as it was.");
            1
        }
    }
}

/// `TEARSHEET_CACHE_DIR`, when set: a cache folder kept elsewhere (one a
/// CI system keeps between runs, say).
fn cache_dir_from_env() -> Option<PathBuf> {
    std::env::var_os("TEARSHEET_CACHE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// `1 chart`, `10,000 briefs`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", thousands(n))
    }
}

/// 10000 → `10,000`.
fn thousands(n: usize) -> String {
    use crate::model::figure::Decimal;
    crate::model::format::number(
        Decimal::new(n as i128, 0),
        0,
        0,
        crate::model::lang::Lang::En,
    )
}

/// `350 ms` below a second, `2.9 s` above.
fn elapsed(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_group_thousands() {
        let shown: Vec<String> = [0, 7, 999, 1000, 10_000, 1_234_567]
            .into_iter()
            .map(super::thousands)
            .collect();
        assert_eq!(shown, ["0", "7", "999", "1,000", "10,000", "1,234,567"]);
        assert_eq!(super::count(10_000, "brief"), "10,000 briefs");
    }
}
