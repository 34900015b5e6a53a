//! Ctrl-C (SIGINT) and SIGTERM during `tearsheet build`.
//!
//! Killed outright, a build would leave its half-filled staging folder
//! beside the output. Instead `build` installs handlers that only record
//! the signal; [`crate::write::Staging`] checks before every write, the
//! build stops with [`interrupted`], the staging folder removes itself on
//! drop and the process exits with 128 + the signal's number (130, 143).
//! A second signal kills at once (its leftovers are removed by the next
//! build). The record is process-wide because signals are; `serve` sets
//! it with [`request`] when it stops, to end a rebuild in progress.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::diagnostic::Diagnostic;

/// The number of the signal that asked the build to stop; 0 if none.
static SIGNAL: AtomicUsize = AtomicUsize::new(0);
/// Set by the first signal: a second one takes its default action.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Makes SIGINT and SIGTERM stop the build at its next write instead of
/// killing the process. Without it (`check`, `serve`), signals keep their
/// usual meaning.
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for sig in [SIGINT, SIGTERM] {
        // Order matters: the default action is armed by the first signal,
        // so it must run before the flag is set.
        let _ = signal_hook::flag::register_conditional_default(sig, &ARMED);
        let _ = signal_hook::flag::register_usize(sig, &SIGNAL, sig as usize);
        let _ = signal_hook::flag::register(sig, &ARMED);
    }
}

/// Asks a running build to stop as if signal `sig` had arrived: `serve`
/// calls it when it stops, so a rebuild in progress ends at its next
/// write and removes its staging folder.
pub fn request(sig: i32) {
    SIGNAL.store(sig.unsigned_abs() as usize, Ordering::SeqCst);
}

/// The signal that asked the build to stop, if one did.
pub fn received() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        n => i32::try_from(n).ok(),
    }
}

/// Fails with [`interrupted`] once a signal asked the build to stop;
/// `shown` is the output folder as the author knows it.
pub fn check(shown: &Path) -> Result<(), Diagnostic> {
    match received() {
        Some(sig) => Err(interrupted(shown, sig)),
        None => Ok(()),
    }
}

/// The error a build stopped by signal `sig` reports.
pub fn interrupted(shown: &Path, sig: i32) -> Diagnostic {
    let name = signal_hook::low_level::signal_name(sig)
        .map(str::to_string)
        .unwrap_or_else(|| format!("signal {sig}"));
    Diagnostic::error(
        "TS0504",
        shown.to_path_buf(),
        format!("the build was interrupted ({name}) before the new site was complete"),
    )
    .help("nothing was changed; build again to write the site")
}
