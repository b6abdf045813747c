//! The `recouvra` command.

fn main() -> std::process::ExitCode {
    recouvra::cli::main()
}
