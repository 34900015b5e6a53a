//! `tearsheet check`: load, validate and render everything, write nothing.
//! Exits 1 on any error or warning (`--allow-warnings` lets warnings
//! pass).

use std::path::PathBuf;

use crate::cmd::print_diagnostics;
use crate::site::{self, Options};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet check\n  tearsheet check --format json > diagnostics.json"
)]
pub struct Args {
    /// The site folder (holds site.yaml and content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 0 when there are warnings but no errors
    #[arg(long)]
    pub allow_warnings: bool,
}

pub fn run(args: Args) -> i32 {
    let opts = Options {
        root: args.root,
        drafts: args.drafts,
        write: false,
        tool: crate::tool::id(),
        ..Options::default()
    };
    let (diags, code) = match site::build(&opts) {
        Ok(report) => {
            let code = i32::from(!report.warnings.is_empty() && !args.allow_warnings);
            (report.warnings, code)
        }
        Err(diags) => (diags, 1),
    };
    match args.format {
        Format::Json => {
            let json = serde_json::json!({ "diagnostics": diags.iter().map(|d| d.to_json()).collect::<Vec<_>>() });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Text => {
            print_diagnostics(&diags);
            if diags.is_empty() {
                println!("No errors or warnings.");
            }
        }
    }
    code
}
