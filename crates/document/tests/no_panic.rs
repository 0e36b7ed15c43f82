//! Whatever text a state file holds, loading it answers an error, never a panic.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loading_any_text_never_panics(input in any::<String>()) {
        let _ = document::state_file::load(&input);
        let wrapped = format!(r#"{{"kind":"kmslab-state","schemaVersion":1,"session":{input}}}"#);
        let _ = document::state_file::load(&wrapped);
    }
}
