//! The `recouvra` command.

/// mimalloc rather than glibc's malloc: rows are allocated on the blocking threads and freed
/// on the async workers, which glibc's per-thread arenas handle slowly (bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    recouvra::cli::main()
}
