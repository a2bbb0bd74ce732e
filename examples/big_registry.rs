//! Writes a large registry to standard output, for `scripts/bench.sh`:
//! `cargo run --release --example big_registry -- seed 10000` (the seed's areas
//! repeated) or `-- sphere 10000` (every field beyond the seed: 2 KPIs and three
//! years of budgets per project). The same generator feeds benches/ and tests/.

#[path = "../tests/support/big_registry.rs"]
mod support;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (kind, n) = match args.as_slice() {
        [_, kind, n] => (kind.as_str(), n.parse::<usize>().ok()),
        _ => ("", None),
    };
    let seed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/registry.yaml"))
        .expect("data/registry.yaml is readable");
    let text = match (kind, n) {
        ("seed", Some(n)) => support::big_registry(&seed, n),
        ("sphere", Some(n)) => support::big_sphere(&seed, n),
        _ => {
            eprintln!("usage: big_registry seed|sphere N");
            std::process::exit(2);
        }
    };
    print!("{text}");
}
