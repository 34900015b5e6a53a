//! The `tearsheet` command line: parses arguments with clap and hands
//! them to the subcommand in `tearsheet::cmd`.

use clap::{Parser, Subcommand};
use tearsheet::cmd;

/// A static site generator for investor briefs.
#[derive(Parser)]
#[command(
    name = "tearsheet",
    version,
    about,
    after_help = "Examples:\n  tearsheet init my-research\n  tearsheet new content/briefs/2025q3-acme.md\n  tearsheet build\n  tearsheet check --format json"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    Build(cmd::build::Args),
    /// Report every error in the site; write nothing
    Check(cmd::check::Args),
    /// Create a new site
    Init(cmd::init::Args),
    /// Create a new brief from a skeleton
    New(cmd::new::Args),
    /// Preview the site locally, rebuilding and reloading on every change
    Serve(cmd::serve::Args),
    /// Export a brief as one self-contained HTML file (or PDF)
    Export(cmd::export::Args),
}

tearsheet::install_heap!();

fn main() {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        tearsheet::heap::keep_freed_memory();
    }
    let code = match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::New(a) => cmd::new::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Export(a) => cmd::export::run(a),
    };
    std::process::exit(code);
}
