//! The process's allocator, named here once and installed by `main` (and
//! by the serve benchmark, which stands in for it), and how the one-shot
//! commands tune it.
//!
//! mimalloc rather than glibc's malloc: a build makes many small, short
//! allocations on every thread (figures, template values, SVG strings),
//! and glibc spent about a sixth of a clean 10,000-brief build in
//! malloc/free and in growing each thread's heap (one `mprotect` per
//! step, serialised on the kernel's memory-map lock). With mimalloc the
//! same build takes about 13% less CPU, for some 40 MiB more peak memory.
pub use mimalloc::MiMalloc as Heap;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the Rust
/// bindings name the options around it, not this one).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for reuse instead of handing it back to the
/// system after 10 ms. For a command that builds once and exits: a build
/// frees and allocates page-sized buffers all the time, and every page
/// handed back is faulted in and zeroed again on the next use (a clean
/// 10,000-brief build: ~5% less CPU, peak memory about the same). `serve`
/// keeps the default, so that an idle preview gives memory back.
pub fn keep_freed_memory() {
    // SAFETY: sets one allocator option; mimalloc reads options
    // atomically, so this is sound at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_before_numa_nodes() {
        assert_eq!(
            super::PURGE_DELAY + 1,
            libmimalloc_sys::mi_option_use_numa_nodes
        );
    }
}
