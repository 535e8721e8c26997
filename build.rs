// The rule library is embedded with include_dir, which cannot tell cargo to watch the
// files it reads on stable Rust: watch the folder here so edited rules are re-embedded.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
