//! Serve benchmark: save-to-reload time. Generates a corpus (10,000 briefs
//! by default; TEARSHEET_BENCH_SIZES=1000 for a quick run), builds it the
//! way `tearsheet serve` does, starts serve's watcher, then edits one
//! brief at a time and measures from the write to the `reload` event the
//! browser would get (file watching, debouncing, the rebuild, the event).
//! `cargo bench --bench serve` (TEARSHEET_BENCH_OUTPUT=DIR puts serve's
//! folders under DIR, as in the build bench). Not a test: nothing here
//! asserts a speed.

#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;
mod support;

use std::time::{Duration, Instant};

use tearsheet::testing::serve::{self, Server};
use tearsheet::Memo;

tearsheet::install_heap!();

fn main() {
    let sizes = support::sizes("10000");
    let edits = support::number("TEARSHEET_BENCH_EDITS", 20);
    support::print_cores();
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        // Serve's folders under TEARSHEET_BENCH_OUTPUT when set (a tmpfs:
        // see the build bench on ext4 without a journal).
        let out = match std::env::var_os("TEARSHEET_BENCH_OUTPUT") {
            Some(d) => tempfile::tempdir_in(d),
            None => tempfile::tempdir(),
        }
        .expect("temp dir");
        gen_corpus::generate(n, dir.path()).expect("corpus");
        let root = tearsheet::testing::absolute(dir.path());
        let server = Server::new(out.path().join("site"));
        let site = server.next_dir();
        let base = "http://127.0.0.1:1111/";
        let mut memo = Memo::default();
        let preview = serve::Preview {
            root: root.clone(),
            base_url: base.to_string(),
            drafts: false,
            cancel: Default::default(),
            tool: 0,
        };
        let first = preview
            .rebuild(&site, None, &mut memo)
            .expect("first build");
        server.publish(site.clone());
        println!(
            "{n} briefs: first build {:.0} ms",
            first.as_secs_f64() * 1000.0
        );
        // The phases of a rebuild after a one-brief edit.
        for round in 0..support::number("TEARSHEET_BENCH_PHASES", 3) {
            let path = support::briefs(&root).swap_remove(0);
            let text = std::fs::read_to_string(&path).expect("read");
            std::fs::write(
                &path,
                text.replacen("summary: \"", &format!("summary: \"phases {round} "), 1),
            )
            .expect("write");
            let opts = tearsheet::Options {
                root: root.clone(),
                output: Some(site.clone()),
                base_url: Some(base.to_string()),
                write: true,
                inject: Some(serve::RELOAD_SCRIPT.to_string()),
                cache: true,
                changed: Some(vec![path.clone()]),
                ..Default::default()
            };
            let report = tearsheet::build_with(&opts, Some(&mut memo)).expect("rebuild");
            let phases: Vec<String> = report
                .timings
                .iter()
                .map(|(step, d)| format!("{step} {:.1}", d.as_secs_f64() * 1000.0))
                .collect();
            println!(
                "one-brief rebuild: {} of {} outputs rendered; ms: {}",
                report.rendered,
                report.jobs,
                phases.join(", ")
            );
        }
        let mut events = server.subscribe();
        let _watching =
            serve::spawn_watcher(preview, false, server.clone(), memo).expect("watcher");
        let briefs = support::briefs(&root);
        let mut times = Vec::new();
        let mut stale = 0;
        for i in 0..edits {
            let path = &briefs[(i * 7919) % briefs.len()];
            let text = std::fs::read_to_string(path).expect("read");
            let edited = text.replacen("summary: \"", &format!("summary: \"edit {i} "), 1);
            let page = site.join(format!(
                "briefs/{}/index.html",
                path.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
            ));
            let served = || {
                std::fs::read_to_string(&page)
                    .expect("page")
                    .contains(&format!("edit {i} "))
            };
            // Drop announcements of earlier edits still in the queue.
            while events.try_recv().is_ok() {}
            let start = Instant::now();
            std::fs::write(path, edited).expect("write");
            // The reload that serves this edit (a late rebuild of the
            // edit before may announce itself first).
            loop {
                let event = wait(&mut events, Duration::from_secs(60));
                assert_eq!(event.as_deref(), Some("reload"), "edit {i}");
                if served() {
                    break;
                }
                stale += 1;
            }
            times.push(start.elapsed());
            assert_eq!(
                server.current_dir().as_ref(),
                Some(&site),
                "updated in place"
            );
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{n} briefs, {edits} one-brief edits, save to reload event: min {:.0} ms, median {:.0} ms, max {:.0} ms ({stale} reloads of an earlier edit seen first)",
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
}

/// The next event, or `None` after `limit`.
fn wait(
    events: &mut tokio::sync::broadcast::Receiver<&'static str>,
    limit: Duration,
) -> Option<String> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        match events.try_recv() {
            Ok(e) => return Some(e.to_string()),
            Err(tokio::sync::broadcast::error::TryRecvError::Empty) => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(_) => return None,
        }
    }
    None
}
