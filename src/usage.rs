//! What the running process has used: CPU seconds and resident memory,
//! read from /proc (Linux; `None` elsewhere). `--timings` prints them,
//! and each step of a build notes the peak memory so far, so that a
//! step that holds too much shows where.

/// CPU seconds (user, system) and peak resident memory in KiB of this
/// process.
pub(crate) fn process() -> Option<(f64, f64, u64)> {
    let rss = peak_rss()?;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user / 100.0, system / 100.0, rss))
}

/// The peak resident memory of this process so far, in KiB.
pub(crate) fn peak_rss() -> Option<u64> {
    status_kib("VmHWM:")
}

/// A `kB` line of /proc/self/status.
fn status_kib(key: &str) -> Option<u64> {
    kib_in(&std::fs::read_to_string("/proc/self/status").ok()?, key)
}

/// A `kB` line of one reading of a status file.
fn kib_in(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn reads_this_process() {
        let (_, _, peak) = super::process().expect("usage");
        assert!(peak > 0);
        // Peak and current from one reading: other test threads allocate
        // between two readings, so only one reading orders them.
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let peak = super::kib_in(&status, "VmHWM:").expect("peak");
        let now = super::kib_in(&status, "VmRSS:").expect("rss");
        assert!(peak >= now && now > 0, "{peak} {now}");
    }
}
