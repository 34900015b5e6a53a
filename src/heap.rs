//! The process's allocator settings, made once at start-up by `main`
//! (and by the benchmarks, which stand in for it) before any thread runs.

/// glibc grows each thread's heap by a `mprotect` call per allocation
/// that passes its top, and those calls serialise the threads on the
/// kernel's memory-map lock: reading the memo of a large site (many small
/// allocations on every thread) spent a sixth of its time there. Growing
/// by 64 MiB at a time makes them rare; the pages are still only touched
/// when used.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn pad_growth() {
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_TOP_PAD: std::ffi::c_int = -2;
    // SAFETY: mallopt only sets an allocator parameter; it is called
    // before any thread starts.
    unsafe {
        mallopt(M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn pad_growth() {}
