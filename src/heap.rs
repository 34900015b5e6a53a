//! The process's allocator, named here once and installed by `main` (and
//! by the serve benchmark, which stands in for it).
//!
//! mimalloc rather than glibc's malloc: a build makes many small, short
//! allocations on every thread (figures, template values, SVG strings),
//! and glibc spent about a sixth of a clean 10,000-brief build in
//! malloc/free and in growing each thread's heap (one `mprotect` per
//! step, serialised on the kernel's memory-map lock). With mimalloc the
//! same build takes about 13% less CPU, for some 40 MiB more peak memory.
pub use mimalloc::MiMalloc as Heap;
