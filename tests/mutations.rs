//! Mutants of every corpus file (lines and characters deleted, duplicated
//! or swapped; seeded, so reproducible): no panic, and wherever a fix
//! applies, the result re-parses and a second fix changes nothing.

use std::path::PathBuf;

use dockerfix::invariants::check_fix_invariants;

/// xorshift64*: a small deterministic generator, enough for mutants.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that matter to Dockerfile and shell syntax, for insertions.
const SPICE: &[char] = &[
    '\\', '`', '"', '\'', '\n', '\r', '#', '$', '[', ']', ' ', '<', '&', '|', ';', '=',
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match rng.below(6) {
        0 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != i)
                .map(|(_, l)| *l)
                .collect()
        }
        1 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let mut out: Vec<&str> = lines.clone();
            out.insert(i, lines[i]);
            out.concat()
        }
        2 if lines.len() > 1 => {
            let mut out = lines.clone();
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            out.swap(a, b);
            out.concat()
        }
        3 => {
            let chars: Vec<char> = text.chars().collect();
            let i = rng.below(chars.len());
            chars
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != i)
                .map(|(_, c)| *c)
                .collect()
        }
        4 => {
            let mut chars: Vec<char> = text.chars().collect();
            let i = rng.below(chars.len() + 1);
            chars.insert(i, SPICE[rng.below(SPICE.len())]);
            chars.into_iter().collect()
        }
        _ => {
            let mut chars: Vec<char> = text.chars().collect();
            if !chars.is_empty() {
                let i = rng.below(chars.len());
                chars.insert(i, chars[i]);
            }
            chars.into_iter().collect()
        }
    }
}

#[test]
fn corpus_mutants_keep_the_fix_invariants() {
    let dir = std::env::var_os("DOCKERFIX_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files"),
        PathBuf::from,
    );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("SKIPPED: no corpus at {}", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut rng = Rng(0x5eed_d0c4_e7f1_0001);
    let (mut mutants, mut parsed, mut fixed) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for round in 0..3 {
            // Up to three mutations stacked on each other.
            let mut mutant = text.clone();
            for _ in 0..=round {
                mutant = mutate(&mutant, &mut rng);
            }
            mutants += 1;
            match check_fix_invariants(&mutant) {
                Ok(checked) => {
                    parsed += usize::from(checked.parsed);
                    fixed += usize::from(checked.fixes_applied > 0);
                }
                Err(e) => failures.push(format!("{} (round {round}): {e}", path.display())),
            }
        }
    }
    println!(
        "mutants: {mutants}; {parsed} parse; {fixed} fixed; {} failures",
        failures.len()
    );
    assert!(mutants > 3000 || files.len() < 1000);
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
