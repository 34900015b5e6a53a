//! What a build tells of its progress while it runs (`build`'s progress
//! bar): which phase it is in, and how far through it. Reading and
//! rendering count what they do (files read; the work of the pages and
//! indexes rendered, weighed by kind, so that a time left holds);
//! checking across briefs, and writing, are told only as they start. At
//! 100,000 briefs reading takes ~7 s and checking ~2.5 s before the
//! first page renders: without the phases the bar stayed blank that
//! long.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A phase of a build, as a progress display names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Brief and page files read and validated (those changed since the
    /// last build, with the build cache).
    Reading,
    /// The rules across a company's briefs, and the site's checks.
    Checking,
    /// Pages and other outputs rendered (those whose inputs changed),
    /// counted in what they cost: hundredths of a brief's page (see
    /// `render::plan::Job::cost`).
    Rendering,
    /// The output put in place: the files copied as they are, the
    /// staging folder swapped in or its files moved into the output (the
    /// bar stood empty while it ran).
    Writing,
}

/// A callback told `(phase, done, in all)`: a phase starts with `done`
/// 0, and `in all` is 0 for a phase that counts nothing.
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Fn(Phase, usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Tells `progress` that phase `phase`, which counts nothing, has
/// started.
pub(crate) fn announce(progress: Option<&Progress>, phase: Phase) {
    Ticks::new(progress, phase).start(0);
}

/// Counts one phase's steps (from any thread) and tells a [`Progress`],
/// when there is one.
pub(crate) struct Ticks<'a> {
    progress: Option<&'a Progress>,
    phase: Phase,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl<'a> Ticks<'a> {
    pub(crate) fn new(progress: Option<&'a Progress>, phase: Phase) -> Ticks<'a> {
        Ticks {
            progress,
            phase,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    /// Starts the phase, with `total` steps to come.
    pub(crate) fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        if let Some(p) = self.progress {
            (p.0)(self.phase, 0, total);
        }
    }

    /// One more step done.
    pub(crate) fn tick(&self) {
        self.tick_by(1);
    }

    /// `n` more steps done.
    pub(crate) fn tick_by(&self, n: usize) {
        if let (Some(p), 1..) = (self.progress, n) {
            let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
            (p.0)(self.phase, done, self.total.load(Ordering::Relaxed));
        }
    }
}
