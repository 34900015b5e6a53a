//! The process's allocator, named here once and installed by `main` (and
//! by the serve benchmark, which stands in for it) with
//! [`install_heap!`], and how it is tuned.
//!
//! mimalloc rather than glibc's malloc: a build makes many small, short
//! allocations on every thread (figures, template values, SVG strings),
//! and glibc spent about a sixth of a clean 10,000-brief build in
//! malloc/free and in growing each thread's heap (one `mprotect` per
//! step, serialised on the kernel's memory-map lock). With mimalloc, tuned
//! as below, the same build takes about 20% less user CPU (3.1-3.4 s
//! against 3.9-4.2 s) for 7-16 MiB more peak memory (233-241 MiB).
pub use mimalloc::MiMalloc as Heap;

/// Installs [`Heap`] as the global allocator of a binary, with
/// [`commit_as_used`] run before anything allocates: a constructor with a
/// priority runs ahead of those without (mimalloc's, Rust's start-up).
#[macro_export]
macro_rules! install_heap {
    () => {
        #[global_allocator]
        static HEAP: $crate::heap::Heap = $crate::heap::Heap;

        #[cfg(target_os = "linux")]
        #[used]
        #[unsafe(link_section = ".init_array.00100")]
        static COMMIT_AS_USED: extern "C" fn() = {
            extern "C" fn run() {
                $crate::heap::commit_as_used();
            }
            run
        };
    };
}

/// Options of mimalloc 3's `mimalloc.h` that the Rust bindings do not
/// name (they name the ones around them; see the test).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Commits memory as it is used, not a whole arena chunk ahead
/// (mimalloc's default on Linux). Each page first touched is zeroed by
/// the kernel; a clean 10,000-brief build spent ~10% of its CPU zeroing
/// memory committed ahead, with a peak of 268-299 MiB against 233-240
/// MiB committed as used. It must run before the first allocation makes
/// the first arena: [`install_heap!`] runs it from the ELF constructors.
pub fn commit_as_used() {
    // SAFETY: sets one allocator option; mimalloc reads its options
    // atomically, so this is sound at any time.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) }
}

/// For a command that builds once and exits: freed memory is kept for
/// reuse instead of handed back after a delay. A build frees and
/// allocates page-sized buffers all the time, and every page handed
/// back is faulted in and zeroed again on its next use. `serve` keeps the
/// default, so that an idle preview gives memory back.
pub fn keep_freed_memory() {
    // SAFETY: as above.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use libmimalloc_sys as ffi;

    // The options' numbers, from the options the bindings name around
    // them (mimalloc.h: show_errors, show_stats, verbose, eager_commit,
    // arena_eager_commit, ...; purge_delay, use_numa_nodes).
    #[test]
    fn the_options_set_are_the_ones_meant() {
        assert_eq!(super::ARENA_EAGER_COMMIT, ffi::mi_option_verbose + 2);
        assert_eq!(super::PURGE_DELAY + 1, ffi::mi_option_use_numa_nodes);
    }
}
