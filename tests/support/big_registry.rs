//! A large registry for benchmarks and tests: the seed's areas repeated until at
//! least `n` projects, renumbered 1, 2, … (shared by benches/ and tests/ via `#[path]`).

/// `seed` with its `areas:` block repeated until at least `n` projects.
pub fn big_registry(seed: &str, n: usize) -> String {
    let at = seed.find("areas:\n").expect("a registry has areas") + "areas:\n".len();
    let (head, areas) = seed.split_at(at);
    let mut out = head.to_string();
    let mut number = 0;
    while number < n {
        for line in areas.lines() {
            if line.starts_with("          - number: ") {
                number += 1;
                out += &format!("          - number: {number}\n");
            } else {
                out += line;
                out.push('\n');
            }
        }
    }
    out
}
