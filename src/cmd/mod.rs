//! One file per subcommand (as mdBook does). Each takes its parsed
//! arguments, runs, prints, and returns the process exit code: 0 success,
//! 1 errors in the site, 2 usage errors (clap's).

pub mod build;
pub mod check;
pub mod export;
pub mod init;
pub mod new;
pub(crate) mod new_company;
pub(crate) mod progress;
pub mod serve;

use crate::diagnostic::Diagnostic;

/// Prints diagnostics to stderr, separated by blank lines, with a count.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = String::new();
    for d in diags {
        err.push_str(&d.render());
        err.push_str("\n\n");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        err.push_str(&format!("{}\n", count(errors, "error", warnings)));
    } else if warnings > 0 {
        err.push_str(&format!("{}\n", count(0, "error", warnings)));
    }
    eprint!("{err}");
}

fn count(errors: usize, _: &str, warnings: usize) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}
