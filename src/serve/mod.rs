//! `tearsheet serve`: a local preview that rebuilds on every change,
//! reloads the browser, and shows errors in place.
//!
//! Each build of the site (with a small live-reload script injected into
//! every page — never into `build` output) goes into a new folder of its
//! own under the system's temporary directory (a `Generation`), and is
//! served from there by tower-http's `ServeDir` (content types, ranges,
//! HEAD, directory redirects and traversal-safe paths). A good rebuild
//! switches the server's pointer to its generation at once; nothing is
//! ever renamed or written under a live server, so no request sees a 404
//! during a swap or a half-written page. A generation's folder is removed
//! when the last request that resolved it has its file open. A debounced
//! watcher triggers rebuilds; the result is announced over Server-Sent
//! Events: `reload`, `css` (only stylesheets changed: swapped without a
//! reload) or `error` (the last good site stays served, the page shows
//! the error over it). All state lives in one [`Server`] value shared by
//! the handlers: no globals.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;
use tower_http::services::ServeDir;

use crate::diagnostic::Diagnostic;
use crate::site::{self, Options};

mod folder;

/// The script every served page gets: listens for rebuilds.
pub const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  var es = new EventSource("/__tearsheet/events");
  function overlay(text) {
    var o = document.getElementById("__tearsheet_error");
    if (!text) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("pre");
      o.id = "__tearsheet_error";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem;background:#2b0b0b;color:#ffd7d7;border:2px solid #e5484d;border-radius:8px;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
      document.body.appendChild(o);
    }
    o.textContent = text;
  }
  function check() {
    fetch("/__tearsheet/error").then(function (r) { return r.status === 200 ? r.text() : ""; }).then(overlay);
  }
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("css", function () {
    // Stylesheet names carry a content hash: take the new names from the
    // rebuilt page and swap them in without reloading.
    fetch(location.href).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelectorAll('link[rel="stylesheet"]');
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l, i) {
        if (fresh[i]) l.setAttribute("href", fresh[i].getAttribute("href"));
      });
      overlay("");
    });
  });
  es.addEventListener("error-changed", check);
  check();
})();
</script>
"#;

/// One build of the site, in a folder of its own. The folder is removed
/// when the last holder lets go: the server once a newer build is served,
/// a request once the file it asked for is open (an open file stays
/// readable after its folder is removed).
struct Generation {
    dir: PathBuf,
}

impl Drop for Generation {
    fn drop(&mut self) {
        let dir = std::mem::take(&mut self.dir);
        // Off the request's thread: a large site is thousands of files.
        std::thread::spawn(move || {
            let _ = std::fs::remove_dir_all(dir);
        });
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct Server {
    events: broadcast::Sender<&'static str>,
    /// The rendered text of the last build's errors, if it failed.
    error: Arc<Mutex<Option<String>>>,
    /// The generation being served.
    site: Arc<Mutex<Option<Arc<Generation>>>>,
    /// Where generations are built, one numbered folder each.
    dir: PathBuf,
    built: Arc<AtomicU64>,
}

impl Server {
    /// A server whose builds go into folders under `dir`.
    pub fn new(dir: PathBuf) -> Server {
        Server {
            events: broadcast::channel(64).0,
            error: Arc::new(Mutex::new(None)),
            site: Arc::new(Mutex::new(None)),
            dir,
            built: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A new, not yet existing folder for the next build.
    pub fn next_dir(&self) -> PathBuf {
        let n = self.built.fetch_add(1, Ordering::Relaxed) + 1;
        self.dir.join(format!("site-{n}"))
    }

    /// Serves the build in `dir` from now on (one pointer switch).
    pub fn publish(&self, dir: PathBuf) {
        let fresh = Arc::new(Generation { dir });
        let old = match self.site.lock() {
            Ok(mut site) => site.replace(fresh),
            Err(_) => None,
        };
        // Dropped here, outside the lock.
        drop(old);
    }

    /// The folder being served.
    pub fn current_dir(&self) -> Option<PathBuf> {
        self.current().map(|g| g.dir.clone())
    }

    /// The generation being served.
    fn current(&self) -> Option<Arc<Generation>> {
        self.site.lock().ok().and_then(|site| site.clone())
    }

    /// Subscribes to rebuild announcements (used by tests and the SSE
    /// handler).
    pub fn subscribe(&self) -> broadcast::Receiver<&'static str> {
        self.events.subscribe()
    }

    fn set_error(&self, text: Option<String>) {
        if let Ok(mut e) = self.error.lock() {
            *e = text;
        }
    }

    fn current_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }
}

/// Settings of a serve session.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub poll: bool,
}

/// What every rebuild of a serve session shares: the site, the URL it
/// is served at, whether drafts are shown, and the request to stop that
/// ends a rebuild in progress (and the watcher) when serve stops.
#[derive(Debug, Clone)]
pub struct Preview {
    pub root: PathBuf,
    pub base_url: String,
    pub drafts: bool,
    pub cancel: crate::cancel::Cancel,
    /// The running tearsheet (`tool::id`).
    pub tool: u64,
}

impl Preview {
    /// One rebuild into `out`; returns `Ok(duration)` or the rendered
    /// errors. `memo` carries the pages, the files found and the build
    /// cache from one rebuild to the next, and `changed` (the watcher's
    /// paths; `None` at first) says which files to look at again, so only
    /// what an edit touches is read, rendered and written.
    pub fn rebuild(
        &self,
        out: &Path,
        changed: Option<Vec<PathBuf>>,
        memo: &mut crate::incremental::memo::Memo,
    ) -> Result<Duration, String> {
        let start = Instant::now();
        let opts = Options {
            root: self.root.clone(),
            output: Some(out.to_path_buf()),
            drafts: self.drafts,
            base_url: Some(self.base_url.clone()),
            write: true,
            deny_warnings: false,
            inject: Some(RELOAD_SCRIPT.to_string()),
            progress: None,
            cache: true,
            changed,
            cache_dir: None,
            tool: self.tool,
            cancel: self.cancel.clone(),
        };
        match site::build_with(&opts, Some(memo)) {
            Ok(_) => Ok(start.elapsed()),
            Err(diags) => Err(render_errors(&diags)),
        }
    }
}

fn render_errors(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(Diagnostic::render)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Whether a changed path matters to the site (not the output, not
/// editor temp files, not VCS or build folders).
pub(crate) fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::load::walk::is_ignored(&name) {
        return false;
    }
    matches!(
        first.as_str(),
        "content" | "templates" | "static" | "site.yaml"
    )
}

/// Whether a file event is a change. Opening, reading and closing a file
/// unchanged are not: the build reads every source, and counting that
/// would rebuild (and reload the browser) in an endless loop.
pub(crate) fn is_change(kind: &notify_debouncer_full::notify::EventKind) -> bool {
    use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Only stylesheets changed.
pub(crate) fn css_only(paths: &[PathBuf]) -> bool {
    !paths.is_empty()
        && paths
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"))
}

/// The router: SSE events, the current error, and the site.
pub(crate) fn router(server: Server) -> Router {
    Router::new()
        .route("/__tearsheet/events", get(events))
        .route("/__tearsheet/error", get(error))
        .fallback(site)
        .with_state(server)
}

/// A file of the generation being served; the generation is held until
/// the file is open.
async fn site(State(server): State<Server>, req: Request) -> Response {
    let Some(generation) = server.current() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let response = ServeDir::new(&generation.dir)
        .append_index_html_on_directories(true)
        .try_call(req)
        .await;
    drop(generation);
    match response {
        Ok(r) => r.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Told to the event streams when serve stops: they end, so stopping does
/// not wait for the browser tabs that hold them open.
const SHUTDOWN: &str = "shutdown";

async fn events(
    State(server): State<Server>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let rx = server.subscribe();
    let s = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(SHUTDOWN) => return None,
                Ok(name) => return Some((Ok(Event::default().event(name).data(name)), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(s).keep_alive(KeepAlive::default())
}

async fn error(State(server): State<Server>) -> Response {
    match server.current_error() {
        Some(text) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// Binds the first free port from `port` on (up to 20 tries).
async fn bind(addr: IpAddr, port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(20) {
        match tokio::net::TcpListener::bind(SocketAddr::new(addr, p)).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port")))
}

/// Runs the preview until interrupted. Returns the exit code.
pub(crate) fn run(config: Config) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> i32 {
    let listener = match bind(config.bind, config.port).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e}",
                config.bind, config.port
            );
            return 1;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let base_url = format!("http://{addr}/");
    if !config.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} — other machines on the network can read the preview",
            config.bind
        );
    }
    let dir = folder::serve_dir();
    let server = Server::new(dir.clone());
    let preview = Preview {
        root: crate::write::absolute(&config.root),
        base_url: base_url.clone(),
        drafts: config.drafts,
        cancel: crate::cancel::Cancel::default(),
        tool: crate::tool::id(),
    };
    let mut memo = crate::incremental::memo::Memo::default();
    let first = server.next_dir();
    match preview.rebuild(&first, None, &mut memo) {
        Ok(d) => println!("Built in {} ms", d.as_millis()),
        Err(text) => {
            eprintln!("{text}");
            server.set_error(Some(text));
            // Nothing good to serve yet: an empty page that shows the error.
            let _ = std::fs::create_dir_all(&first);
            let _ = std::fs::write(first.join("index.html"), format!("<!doctype html><meta charset=utf-8><title>tearsheet</title><body>{RELOAD_SCRIPT}</body>"));
        }
    }
    server.publish(first);
    println!(
        "Serving {} at {base_url} (Ctrl-C to stop)",
        config.root.display()
    );
    let cancel = preview.cancel.clone();
    let watcher = spawn_watcher(preview, config.poll, server.clone(), memo);
    let app = router(server.clone());
    // Headers and body go out as separate writes: without TCP_NODELAY each
    // response would wait for the client's delayed ACK (~40 ms).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let stopping = server.clone();
    let shutdown = async move {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let sig = tokio::select! {
                _ = tokio::signal::ctrl_c() => signal_hook::consts::SIGINT,
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => signal_hook::consts::SIGTERM,
            };
            cancel.request(sig);
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            cancel.request(signal_hook::consts::SIGINT);
        }
        let _ = stopping.events.send(SHUTDOWN);
    };
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    drop(watcher);
    drop(server);
    // Its removal carries on after serve exits.
    let _ = folder::remove(&dir);
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Waits (at most a second) until the changed files stop changing: an
/// editor that truncates and then writes, or a slow copy, must not be
/// built half-written.
fn settle(paths: &[PathBuf]) {
    let state = || -> Vec<Option<(u64, Option<std::time::SystemTime>)>> {
        paths
            .iter()
            .map(|p| {
                std::fs::metadata(p)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()))
            })
            .collect()
    };
    let start = Instant::now();
    let mut before = state();
    while start.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(5));
        let now = state();
        if now == before {
            return;
        }
        before = now;
    }
}

/// Keeps the watcher alive while held. Dropped, it stops watching and
/// waits for the rebuild in progress, which ends at its next write once
/// serve asked it to stop (its `Preview::cancel`): no folder is
/// made after serve removed its own.
pub struct Watching {
    watcher: Option<Box<dyn std::any::Any + Send>>,
    rebuilds: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.watcher.take();
        if let Some(t) = self.rebuilds.take() {
            let _ = t.join();
        }
    }
}

/// A batch of debounced events from the watcher.
type Batch = notify_debouncer_full::DebounceEventResult;

/// Watches `root` (polling, with `poll`), sending batches of events to
/// `tx`; the watcher stops when the returned handle is dropped.
fn watch(
    root: &Path,
    poll: bool,
    tx: std::sync::mpsc::Sender<Batch>,
) -> Option<Box<dyn std::any::Any + Send>> {
    use notify_debouncer_full::notify::{self, RecursiveMode};
    // Editors save by writing a temporary file and renaming it, or by
    // truncating and writing: events a few milliseconds apart. 25 ms of
    // quiet covers them (and `settle` catches a slower writer) without
    // adding much to save-to-reload time.
    let timeout = Duration::from_millis(25);
    if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let mut d = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
            timeout,
            None,
            tx,
            notify_debouncer_full::NoCache,
            config,
        )
        .ok()?;
        d.watch(root, RecursiveMode::Recursive).ok()?;
        Some(Box::new(d))
    } else {
        let mut d = notify_debouncer_full::new_debouncer(timeout, None, tx).ok()?;
        d.watch(root, RecursiveMode::Recursive).ok()?;
        Some(Box::new(d))
    }
}

/// The relevant paths a batch of events names, and whether events were
/// lost (the kernel's queue overflowed: every file must be looked at).
fn changes(root: &Path, events: &[notify_debouncer_full::DebouncedEvent]) -> (Vec<PathBuf>, bool) {
    let paths = events
        .iter()
        .filter(|e| is_change(&e.kind))
        .flat_map(|e| e.paths.iter().cloned())
        .filter(|p| relevant(root, p))
        .collect();
    (paths, events.iter().any(|e| e.need_rescan()))
}

/// One rebuild for the changed `paths` (all files with `rescan`), and
/// its result announced to the browsers.
fn rebuild_and_announce(
    preview: &Preview,
    server: &Server,
    memo: &mut crate::incremental::memo::Memo,
    paths: &[PathBuf],
    rescan: bool,
) {
    // The served folder is updated in place when the memo's build cache
    // describes it: only changed files, each replaced by a rename (a
    // request gets the old file or the new, never part of one).
    // Otherwise the build goes into a new folder, switched in whole.
    let live = server.current_dir();
    let dir = match &live {
        Some(d) if memo.can_update(d) => d.clone(),
        _ => server.next_dir(),
    };
    let hint = (!rescan).then(|| paths.to_vec());
    match preview.rebuild(&dir, hint, memo) {
        Ok(d) => {
            if live.as_ref() != Some(&dir) {
                server.publish(dir);
            }
            let had_error = server.current_error().is_some();
            server.set_error(None);
            println!("Rebuilt in {} ms", d.as_millis());
            let event = if css_only(paths) && !had_error {
                "css"
            } else {
                "reload"
            };
            let _ = server.events.send(event);
        }
        Err(_) if preview.cancel.requested().is_some() => {}
        Err(text) => {
            eprintln!("{text}");
            server.set_error(Some(text));
            let _ = server.events.send("error-changed");
        }
    }
}

/// Starts watching `root`; every debounced batch of relevant changes
/// rebuilds and announces the result.
pub fn spawn_watcher(
    preview: Preview,
    poll: bool,
    server: Server,
    mut memo: crate::incremental::memo::Memo,
) -> Option<Watching> {
    let root = preview.root.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = watch(&root, poll, tx)?;
    let rebuilds = std::thread::spawn(move || {
        let stopped = || preview.cancel.requested().is_some();
        while !stopped() {
            let batch = match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(batch) => batch,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let Ok(events) = batch else { continue };
            let (mut paths, mut rescan) = changes(&root, &events);
            // Drain what arrived meanwhile (a git checkout touches many files).
            while let Ok(Ok(more)) = rx.try_recv() {
                let (more, lost) = changes(&root, &more);
                paths.extend(more);
                rescan |= lost;
            }
            if paths.is_empty() && !rescan {
                continue;
            }
            settle(&paths);
            if stopped() {
                break;
            }
            rebuild_and_announce(&preview, &server, &mut memo, &paths, rescan);
        }
    });
    Some(Watching {
        watcher: Some(handle),
        rebuilds: Some(rebuilds),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/briefs/x.md")));
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(root, Path::new("/site/templates/brief.html")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/content/briefs/.x.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/briefs/x.md~")));
        assert!(!relevant(root, Path::new("/site/.git/index")));
        assert!(css_only(&[PathBuf::from("/site/static/style.css")]));
        use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(!css_only(&[
            PathBuf::from("/site/static/style.css"),
            PathBuf::from("/site/content/a.md")
        ]));
    }
}
