//! Arbitrary bytes → parse → every rule, unsafe fixes included → the fix
//! invariants (re-parse, same stages, idempotent, edits on their lines).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = dockerfix::invariants::check_fix_invariants(text) {
        panic!("{e}\n--- input ---\n{text:?}");
    }
});
