//! The `recouvra` command.

fn main() -> std::process::ExitCode {
    fixed_mmap_threshold();
    recouvra::cli::main()
}

/// Fixes glibc's mmap threshold at its default (128 KiB). Left dynamic, it grows past the
/// first large block freed — argon2's 19 MiB working memory at the first sign-in — and every
/// later block of that size comes from the heap and stays there once freed: an idle server
/// held 20 MB more after its first sign-ins (bench/RESULTS.md). Fixed, large blocks are
/// mapped and unmapped, and the heap's trim threshold stays at its default too.
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_MMAP_THRESHOLD: std::os::raw::c_int = -3;
        extern "C" {
            fn mallopt(
                param: std::os::raw::c_int,
                value: std::os::raw::c_int,
            ) -> std::os::raw::c_int;
        }
        // SAFETY: mallopt takes two integers and only changes glibc's allocation policy; it
        // runs first thing in main, before any other thread exists.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}
