fn main() {
    std::process::exit(bumpcheck::cli::main());
}
