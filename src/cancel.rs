//! A request to stop a build, as a value: whoever may ask — the signal
//! handler `build` installs (`interrupt`), `serve` when it stops — holds
//! a clone of the [`Cancel`] the build was given in its `Options`, and the
//! build looks at it before each write. Nothing here is process-wide.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;

/// Shared by a build and those who may stop it: holds the number of the
/// signal that asked it to stop, 0 while none did.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicUsize>);

impl Cancel {
    /// Asks the build to stop as if signal `sig` had arrived.
    pub fn request(&self, sig: i32) {
        self.0.store(sig.unsigned_abs() as usize, Ordering::SeqCst);
    }

    /// The signal that asked the build to stop, if one did.
    pub fn requested(&self) -> Option<i32> {
        match self.0.load(Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }

    /// The flag itself, for a signal handler to set.
    pub fn flag(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.0)
    }

    /// Fails with [`interrupted`] once the build was asked to stop;
    /// `shown` is the output folder as the author knows it.
    pub fn check(&self, shown: &Path) -> Result<(), Diagnostic> {
        match self.requested() {
            Some(sig) => Err(interrupted(shown, sig)),
            None => Ok(()),
        }
    }
}

/// The error a build stopped by signal `sig` reports.
pub(crate) fn interrupted(shown: &Path, sig: i32) -> Diagnostic {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reaches_every_clone_and_stops_the_check() {
        let cancel = Cancel::default();
        let build = cancel.clone();
        assert_eq!(build.check(Path::new("public")), Ok(()));
        cancel.request(2);
        assert_eq!(build.requested(), Some(2));
        let e = build.check(Path::new("public")).unwrap_err();
        assert_eq!(e.code, "TS0504");
        assert_eq!(
            e.message,
            "the build was interrupted (SIGINT) before the new site was complete"
        );
    }
}
