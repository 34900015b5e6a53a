//! Ctrl-C (SIGINT) and SIGTERM during `tearsheet build`.
//!
//! Killed outright, a build would leave its half-filled staging folder
//! beside the output. Instead `build` installs handlers that only record
//! the signal in the build's [`Cancel`]; the staging folder checks it
//! before every write, the build stops with `cancel::interrupted`, the
//! staging folder removes itself on drop and the process exits with
//! 128 + the signal's number (130, 143). A second signal kills at once
//! (its leftovers are removed by the next build): the handler's own
//! flag, armed by the first signal, is the one process-wide state, as
//! signals are process-wide.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::cancel::Cancel;

/// Makes SIGINT and SIGTERM stop the build holding `cancel` at its next
/// write instead of killing the process. Without it (`check`, `serve`),
/// signals keep their usual meaning.
pub(crate) fn install(cancel: &Cancel) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let armed = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        // Order matters: the default action is armed by the first signal,
        // so it must run before the flag is set.
        let _ = signal_hook::flag::register_conditional_default(sig, Arc::clone(&armed));
        let _ = signal_hook::flag::register_usize(sig, cancel.flag(), sig as usize);
        let _ = signal_hook::flag::register(sig, Arc::clone(&armed));
    }
}
