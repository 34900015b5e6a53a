//! `build`'s progress bar on a terminal, shown once the build has run
//! for a second: the phase (reading, checking, rendering, writing), how far
//! through it, the time since the build started and, once the phase has
//! gone far enough to tell, the time left in it at its pace so far.
//!
//! The time left is ours, not indicatif's: its estimate ran from the
//! start of the build, before the first page rendered, and said "about
//! 2h left" at the first page of a 5-second build (10,000 briefs), then
//! 16 s when 2 s were left.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::site::{Phase, Progress};

/// The bar, as a [`Progress`] for the build. A step only moves the bar;
/// its words and times are written when indicatif draws it (at most 20
/// times a second), not for each of 120,000 pages.
pub(crate) fn bar() -> Progress {
    let bar = Shown(ProgressBar::with_draw_target(
        Some(0),
        ProgressDrawTarget::hidden(),
    ));
    let start = Instant::now();
    // The phase shown (its number, 0 for none yet). A phase starts on the
    // build's own thread before any of its steps, so a swap tells the
    // first event of a new phase.
    let phase_shown = AtomicU8::new(0);
    let drawn = AtomicBool::new(false);
    Progress(std::sync::Arc::new(move |phase, done, total| {
        if phase_shown.swap(phase as u8 + 1, Ordering::Relaxed) != phase as u8 + 1 {
            enter(&bar.0, phase, total, start);
        }
        if !drawn.load(Ordering::Relaxed) && start.elapsed() > Duration::from_secs(1) {
            drawn.store(true, Ordering::Relaxed);
            bar.0.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.0.set_position(done as u64);
    }))
}

/// The bar, taken off the terminal when the build's [`Progress`] is
/// dropped, in whatever phase the build ended (a theme that does not
/// load stops it while the checking spinner turns).
struct Shown(ProgressBar);

impl Drop for Shown {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Shows phase `phase` of `total` steps (0: not counted; the build
/// started at `start`): its words first, then its style, so that no
/// frame shows the last phase's words in the new style. The bar takes
/// the width the terminal leaves (at 80 columns a bar of 40 wrapped the
/// line).
fn enter(bar: &ProgressBar, phase: Phase, total: usize, start: Instant) {
    let (name, unit) = words(phase);
    bar.set_prefix(name);
    bar.set_length(total as u64);
    bar.set_position(0);
    // The phase's own clock, for the time left.
    bar.reset_elapsed();
    bar.set_message(unit);
    let template = match (total, phase) {
        (0, _) => "{prefix:9} {spinner} {msg}  {timing}",
        // Counted in what its pages and indexes cost, not in files: a
        // share of the work.
        (_, Phase::Rendering) => "{prefix:9} {wide_bar} {percent:>3}%  {timing}",
        (_, Phase::Reading | Phase::Checking | Phase::Writing) => {
            "{prefix:9} {wide_bar} {human_pos}/{human_len} {msg}  {timing}"
        }
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.with_key(
            "timing",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let (done, total) = (state.pos(), state.len().unwrap_or(0));
                let text = timing(
                    start.elapsed(),
                    state.elapsed(),
                    done as usize,
                    total as usize,
                );
                let _ = w.write_str(&text);
            },
        ));
    }
    match total {
        0 => bar.enable_steady_tick(Duration::from_millis(200)),
        _ => bar.disable_steady_tick(),
    }
}

/// The phase's name, and the words beside its count or its spinner.
fn words(phase: Phase) -> (&'static str, &'static str) {
    match phase {
        Phase::Reading => ("reading", "files"),
        Phase::Checking => ("checking", "briefs across companies"),
        // Shown only with a spinner: a render with nothing to count (its
        // share of work is shown otherwise).
        Phase::Rendering => ("rendering", "no page changed"),
        Phase::Writing => ("writing", "the output into place"),
    }
}

/// `3s elapsed, about 6s left`: the time since the build started and
/// the time left in the phase (`phase` in, `done` of `total` steps).
pub(crate) fn timing(build: Duration, phase: Duration, done: usize, total: usize) -> String {
    match left(phase, done, total) {
        // Rounded up: the last half second is "about 1s", not "0s".
        Some(left) => {
            let left = Duration::from_secs(left.as_secs_f64().ceil() as u64);
            format!("{} elapsed, about {} left", short(build), short(left))
        }
        None => format!("{} elapsed", short(build)),
    }
}

/// The time the rest of a phase takes at its pace so far; none before a
/// fiftieth of it and half a second have gone (its first steps say
/// little of the rest).
fn left(phase: Duration, done: usize, total: usize) -> Option<Duration> {
    let early = done == 0 || done.saturating_mul(50) < total;
    if early || done >= total || phase < Duration::from_millis(500) {
        return None;
    }
    Some(phase.mul_f64((total - done) as f64 / done as f64))
}

/// `8s`, `2m 05s`, `1h 02m`.
fn short(d: Duration) -> String {
    let s = d.as_secs_f64().round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn the_time_left_is_the_phase_pace_so_far() {
        // (build, phase) seconds, done, total: what the bar says.
        let cases = [
            ((3.0, 2.0), 4_000, 12_000, "3s elapsed, about 4s left"),
            ((4.6, 3.0), 11_900, 12_000, "5s elapsed, about 1s left"),
            (
                (80.4, 30.0),
                25_000,
                100_000,
                "1m 20s elapsed, about 1m 30s left",
            ),
            ((4000.0, 3700.0), 1, 2, "1h 06m elapsed, about 1h 01m left"),
        ];
        for ((build, phase), done, total, want) in cases {
            assert_eq!(timing(secs(build), secs(phase), done, total), want);
        }
    }

    #[test]
    fn no_time_left_is_guessed_too_early_or_at_the_end() {
        // Under a fiftieth done, under half a second in, none done, all done.
        assert_eq!(timing(secs(1.2), secs(0.9), 200, 12_072), "1s elapsed");
        assert_eq!(timing(secs(1.2), secs(0.4), 1_000, 12_072), "1s elapsed");
        assert_eq!(timing(secs(9.0), secs(2.0), 0, 100), "9s elapsed");
        assert_eq!(timing(secs(9.0), secs(2.0), 100, 100), "9s elapsed");
        assert_eq!(timing(secs(9.0), secs(2.0), 3, 0), "9s elapsed");
    }
}
