//! The terminal's line runner (lexer, `$VAR`/`$(…)` expansion, pipes and redirections, aws-cli
//! and `lab` command parsing, then the engine) on a fresh session.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut session = kmslab_fuzz::fresh_session();
    kmslab_fuzz::run_terminal(&mut session, text);
});
