//! Which tearsheet is running: its build id, a hash of everything the
//! binary is made from (sources, templates, static files, locked
//! dependencies, compiler, profile), made by `build.rs` at compile time
//! and carried in `Options`. What one build keeps for the next (the
//! build cache and the memo) is trusted only by a tearsheet with the same
//! id, so one built from changed sources — or upgraded without a version
//! bump — renders everything again instead of reusing what another made.
//!
//! (Hashing the running executable instead was measured at 9–14 ms for
//! the 9 MB release binary on this 2-core machine, against a one-edit
//! build of 10,000 briefs of ~155 ms; the compiled-in id costs nothing.)

/// The build id of this tearsheet.
pub(crate) fn id() -> u64 {
    u64::from_str_radix(env!("TEARSHEET_BUILD_ID"), 16).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_build_id_is_compiled_in() {
        assert_eq!(env!("TEARSHEET_BUILD_ID").len(), 16);
        assert_ne!(super::id(), 0);
    }
}
