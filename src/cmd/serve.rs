//! `tearsheet serve`: local preview with live reload (see `crate::serve`).

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet serve\n  tearsheet serve --port 8080 --drafts\n  tearsheet serve --poll    # where file events do not arrive (network drives, containers)"
)]
pub struct Args {
    /// The site folder (holds site.yaml and content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (the next free one is taken if it is busy)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the preview
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Poll for changes instead of relying on file-system events
    #[arg(long)]
    pub poll: bool,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: Args) -> i32 {
    crate::serve::run(crate::serve::Config {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        poll: args.poll,
    })
}
