//! Tells the tests the target they are built for (x86-64 here, aarch64 under
//! scripts/test-arm64.sh): `cargo metadata --filter-platform` asks only about
//! the crates of that target, the ones a build of it has downloaded.
fn main() {
    let target = std::env::var("TARGET").expect("cargo sets TARGET for build scripts");
    println!("cargo:rustc-env=FLIGHT_PATH_TARGET={target}");
}
