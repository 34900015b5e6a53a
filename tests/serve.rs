//! `tearsheet serve` end to end: it serves the site, announces rebuilds
//! over Server-Sent Events, keeps the last good site when an edit breaks
//! it (showing the error), clears the error after the fix, never lets a
//! path escape the site, and answers with the right content types.
//! Waits are bounded and event-driven; nothing sleeps for a guessed time.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::copy_fixture;

struct Serve {
    child: Child,
    addr: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM lets serve remove its temporary folder; SIGKILL if not.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(i) = line.find("http://") {
                let url = line[i + 7..].split('/').next().unwrap_or("").to_string();
                let _ = tx.send(url);
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("serve prints its address");
    Serve { child, addr }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn request(addr: &str, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_lowercase(),
        body: body.to_string(),
    }
}

/// Opens the event stream; returns a receiver of event names.
fn events(addr: &str) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__tearsheet/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send(name.trim().to_string()).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

/// Waits (at most 20 s) for the event `name`; an editor's save can come
/// as several file events, so earlier announcements may repeat.
fn wait_for(rx: &mpsc::Receiver<String>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(e) if e == name => return,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within 20 s"),
        }
    }
}

/// Restates the fixture brief's revenue (350亿 → 351亿) and waits for the
/// reload it brings.
fn revise(brief: &Path, rx: &mpsc::Receiver<String>) {
    let text = std::fs::read_to_string(brief).unwrap();
    save(brief, &text.replace("350亿", "351亿"));
    wait_for(rx, "reload");
}

/// Saves a file the way most editors do: write a hidden temporary file
/// beside it, then rename it over the original (one atomic change).
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Polls until `f` holds (bounded).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serves_reloads_and_shows_errors_in_place() {
    let site = copy_fixture("minimal");
    let s = start(site.path());
    let home = request(&s.addr, "GET", "/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("/__tearsheet/events"),
        "the reload script is injected"
    );
    let brief = request(&s.addr, "GET", "/briefs/2025q2-test/");
    assert!(brief.body.contains("350亿元"));

    let rx = events(&s.addr);
    // Give the event stream a moment to be registered: the first edit's
    // event must not be missed, so wait for the subscription via a no-op
    // edit cycle.
    let path = site.path().join("content/briefs/2025q2-test.md");
    let text = std::fs::read_to_string(&path).unwrap();
    eventually("the event stream", || {
        request(&s.addr, "GET", "/").status == 200
    });
    revise(&path, &rx);
    eventually("the edit served", || {
        request(&s.addr, "GET", "/briefs/2025q2-test/")
            .body
            .contains("351亿元")
    });

    // A broken edit: the last good page stays, the error is available.
    save(&path, &text.replace("value: 350亿", "value: twelve"));
    wait_for(&rx, "error-changed");
    let err = request(&s.addr, "GET", "/__tearsheet/error");
    assert_eq!(err.status, 200);
    assert!(
        err.body.contains("content/briefs/2025q2-test.md:"),
        "{}",
        err.body
    );
    assert!(err.body.contains("cannot read figure"), "{}", err.body);
    assert!(request(&s.addr, "GET", "/briefs/2025q2-test/")
        .body
        .contains("351亿元"));

    // The fix clears it.
    save(&path, &text);
    wait_for(&rx, "reload");
    eventually("the error cleared", || {
        request(&s.addr, "GET", "/__tearsheet/error").status == 204
    });
    eventually("the fix served", || {
        request(&s.addr, "GET", "/briefs/2025q2-test/")
            .body
            .contains("350亿元")
    });

    // A deleted brief disappears.
    std::fs::remove_file(site.path().join("content/briefs/2025q2-test-en.md")).unwrap();
    wait_for(&rx, "reload");
    eventually("the deleted brief gone", || {
        request(&s.addr, "GET", "/briefs/2025q2-test-en/").status == 404
    });
}

#[test]
fn paths_never_escape_and_types_are_right() {
    let site = copy_fixture("minimal");
    std::fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    let s = start(site.path());
    // Serve's own folder holds the served build one level down, so a path
    // that climbs one level out of the served files lands on this file.
    let serve_dir = std::env::temp_dir().join(format!("tearsheet-serve-{}", s.child.id()));
    let served = std::fs::read_dir(&serve_dir)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.path().join("index.html").is_file());
    assert!(served, "no build under {}", serve_dir.display());
    std::fs::write(serve_dir.join("secret.txt"), "do not serve").unwrap();
    for bad in [
        // Parent folders, plain and percent-encoded (also twice).
        "/../secret.txt",
        "/briefs/../../secret.txt",
        "/./../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/briefs/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "http://localhost/../secret.txt",
        // Absolute paths.
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/%2F%2E%2E%2Fsecret.txt",
        "/c:/etc/passwd",
        // Backslashes, raw and encoded.
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/briefs%5c..%5c..%5csecret.txt",
        // NUL bytes.
        "/index.html%00",
        "/secret.txt%00.html",
        "/%00/../secret.txt",
        "/..%00/secret.txt",
    ] {
        let r = request(&s.addr, "GET", bad);
        assert!(r.status == 404 || r.status == 400, "{bad}: {}", r.status);
        assert!(!r.body.contains("do not serve"), "{bad} escaped");
        assert!(!r.body.contains("root:"), "{bad} read /etc/passwd");
    }
    let home = request(&s.addr, "GET", "/").body;
    let css_href = home
        .split("rel=\"stylesheet\" href=\"./")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a stylesheet link");
    let css = request(&s.addr, "GET", &format!("/{css_href}"));
    assert!(css.head.contains("content-type: text/css"), "{}", css.head);
    let xml = request(&s.addr, "GET", "/atom.xml");
    assert!(xml.head.contains("xml"), "{}", xml.head);
    let json = request(&s.addr, "GET", "/search-index.json");
    assert!(
        json.head.contains("content-type: application/json"),
        "{}",
        json.head
    );
    let redirect = request(&s.addr, "GET", "/briefs/2025q2-test");
    assert!((300..400).contains(&redirect.status), "{}", redirect.status);
    assert!(
        redirect.head.contains("location: /briefs/2025q2-test/"),
        "{}",
        redirect.head
    );
    let head = request(&s.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let cjk = request(&s.addr, "GET", "/tags/ai/");
    assert_eq!(cjk.status, 200);
}

/// One keep-alive HTTP/1.1 connection, as a browser or load tool holds.
struct Conn {
    addr: String,
    reader: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            reader: None,
        }
    }

    /// GETs `path`: the status and the whole body (by Content-Length), or
    /// why not. A connection that failed is opened anew next time.
    fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>), String> {
        let r = self.try_get(path);
        if r.is_err() {
            self.reader = None;
        }
        r
    }

    fn try_get(&mut self, path: &str) -> Result<(u16, Vec<u8>), String> {
        if self.reader.is_none() {
            let s = TcpStream::connect(&self.addr).map_err(|e| format!("connect: {e}"))?;
            s.set_read_timeout(Some(Duration::from_secs(10)))
                .map_err(|e| e.to_string())?;
            self.reader = Some(BufReader::new(s));
        }
        let reader = self.reader.as_mut().ok_or("no connection")?;
        // One write: `write!` would send pieces and wait on delayed ACKs.
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        reader
            .get_mut()
            .write_all(req.as_bytes())
            .map_err(|e| format!("send: {e}"))?;
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("status line: {e}"))?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .map_err(|e| format!("header: {e}"))?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if lower.starts_with("transfer-encoding:") {
                return Err(format!("{path}: unexpected {l}"));
            }
        }
        let length = length.ok_or_else(|| format!("{path}: no content-length"))?;
        let mut body = vec![0; length];
        reader
            .read_exact(&mut body)
            .map_err(|e| format!("{path}: body: {e}"))?;
        Ok((status, body))
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `q` quantile of sorted durations, in milliseconds.
fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Connections load the served site on loopback while a brief is edited
/// and rebuilt again and again: every answer must be a 200 with a whole
/// page, never a 404 during a rebuild's swap nor a half-written file.
/// `TEARSHEET_LOAD_SECS` and `TEARSHEET_LOAD_CONNS` (default 2 s, 16
/// connections) scale it; `--nocapture` shows the figures.
#[test]
fn under_load_every_request_gets_a_whole_page_while_briefs_are_edited() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let secs = env_or("TEARSHEET_LOAD_SECS", 2);
    let conns = env_or("TEARSHEET_LOAD_CONNS", 16);
    let site = copy_fixture("minimal");
    let s = start(site.path());
    let rx = events(&s.addr);
    eventually("the site served", || {
        request(&s.addr, "GET", "/").status == 200
    });

    let paths = [
        "/",
        "/briefs/2025q2-test/",
        "/briefs/2025q2-test-en/",
        "/about/",
        "/companies/",
        "/companies/test.hk/",
        "/tags/ai/",
        "/404.html",
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let workers: Vec<_> = (0..conns)
        .map(|n| {
            let (addr, stop, failures) = (s.addr.clone(), stop.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::new(&addr);
                let mut times = Vec::new();
                let mut i = n as usize;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[i % paths.len()];
                    i += 1;
                    let t = Instant::now();
                    let r = conn.get(path);
                    times.push(t.elapsed());
                    let bad = match r {
                        Ok((200, body)) => {
                            let body = String::from_utf8_lossy(&body);
                            (!body.trim_end().ends_with("</html>"))
                                .then(|| format!("{path}: incomplete page ({} bytes)", body.len()))
                        }
                        Ok((status, _)) => Some(format!("{path}: status {status}")),
                        Err(e) => Some(e),
                    };
                    if let Some(bad) = bad {
                        failures.lock().unwrap().push(bad);
                    }
                }
                times
            })
        })
        .collect();

    // Edit the brief, wait for its rebuild, again, until the time is up.
    let brief = site.path().join("content/briefs/2025q2-test.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    let start = Instant::now();
    let mut rebuilds = 0;
    while start.elapsed() < Duration::from_secs(secs) {
        save(&brief, &format!("{text}\n第 {rebuilds} 次修改。\n"));
        wait_for(&rx, "reload");
        rebuilds += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let mut times: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    times.sort();
    let failures = failures.lock().unwrap();
    println!(
        "load: {conns} connections, {:.1} s, {rebuilds} rebuilds: {} requests, {} failed, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        start.elapsed().as_secs_f64(),
        times.len(),
        failures.len(),
        quantile_ms(&times, 0.5),
        quantile_ms(&times, 0.99),
        quantile_ms(&times, 1.0),
    );
    assert!(
        failures.is_empty(),
        "{} of {} requests failed, e.g. {:?}",
        failures.len(),
        times.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(rebuilds >= 2, "only {rebuilds} rebuilds under load");
    assert!(times.len() as u64 >= conns, "only {} requests", times.len());
}

/// A served page as `build` would have written it: without the
/// live-reload script serve injects.
fn without_reload_script(html: &str) -> String {
    html.replacen(tearsheet::testing::serve::RELOAD_SCRIPT, "", 1)
}

/// A thousand writes to one brief as fast as they go (each truncates and
/// rewrites it, so builds may see it half-written): serve keeps running,
/// once the edits settle it serves exactly what a clean `build` of the
/// same files writes, and it stops cleanly.
#[test]
fn a_thousand_rapid_edits_settle_to_what_build_writes() {
    let site = copy_fixture("minimal");
    let mut s = start(site.path());
    let brief = site.path().join("content/briefs/2025q2-test.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    for i in 0..1000 {
        std::fs::write(&brief, format!("{text}\n第 {i} 次修改。\n")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let run = common::tearsheet(
        &[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            out.path().to_str().unwrap(),
            "--base-url",
            &format!("http://{}/", s.addr),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built_brief =
        std::fs::read_to_string(out.path().join("briefs/2025q2-test/index.html")).unwrap();
    let built_home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(built_brief.contains("第 999 次修改。"));
    eventually("the last edit served", || {
        let page = request(&s.addr, "GET", "/briefs/2025q2-test/");
        page.status == 200 && without_reload_script(&page.body) == built_brief
    });
    let home = request(&s.addr, "GET", "/");
    assert_eq!(home.status, 200);
    assert_eq!(without_reload_script(&home.body), built_home);
    assert!(
        matches!(s.child.try_wait(), Ok(None)),
        "serve ended during the edits"
    );
    // Stopped while the edits' last rebuilds may still run: nothing stays.
    stop_cleanly(&mut s);
}

/// Reading the sources changes nothing: opening them (as the build itself,
/// an editor or a backup tool does) must not rebuild, or serve would
/// rebuild and reload the browser in an endless loop. One edit, one
/// rebuild. A quiet second stands for "no rebuild follows".
#[test]
fn reading_the_sources_rebuilds_nothing_and_one_edit_rebuilds_once() {
    let site = copy_fixture("minimal");
    let s = start(site.path());
    let rx = events(&s.addr);
    eventually("the site served", || {
        request(&s.addr, "GET", "/").status == 200
    });
    let quiet = |rx: &mpsc::Receiver<String>| match rx.recv_timeout(Duration::from_secs(1)) {
        Err(mpsc::RecvTimeoutError::Timeout) => {}
        other => panic!("an unasked-for rebuild: {other:?}"),
    };
    for entry in walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            std::fs::read(entry.path()).unwrap();
        }
    }
    quiet(&rx);
    revise(&site.path().join("content/briefs/2025q2-test.md"), &rx);
    quiet(&rx);
}

/// SIGTERM (as Ctrl-C) stops serve at once even while a browser tab holds
/// the event stream open, exits 0 and removes serve's temporary folder.
#[test]
fn stops_at_once_with_an_event_stream_open_and_removes_its_folder() {
    let site = copy_fixture("minimal");
    let mut s = start(site.path());
    let rx = events(&s.addr);
    // An event proves the stream is open.
    eventually("the site served", || {
        request(&s.addr, "GET", "/").status == 200
    });
    revise(&site.path().join("content/briefs/2025q2-test.md"), &rx);
    let took = stop_cleanly(&mut s);
    println!("serve stopped in {took:?}");
}

/// Sends serve SIGTERM and asserts it exits 0 within 3 s, leaving no
/// temporary folder once the removal it starts has run; returns how long
/// serve took to exit.
fn stop_cleanly(s: &mut Serve) -> Duration {
    let dir = std::env::temp_dir().join(format!("tearsheet-serve-{}", s.child.id()));
    assert!(dir.is_dir());
    let stopped = Instant::now();
    let ok = Command::new("kill")
        .arg(s.child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(3),
            "serve still running 3 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0));
    let took = stopped.elapsed();
    // Renamed aside as serve stops, then removed apart from it.
    assert!(!dir.exists(), "{} left behind", dir.display());
    let aside = dir.with_extension("stopped");
    eventually("the stopped folder removed", || !aside.exists());
    took
}
