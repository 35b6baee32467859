//! The `readout` command: argument parsing lives in [`readout::cli`].

fn main() {
    std::process::exit(readout::cli::main());
}
