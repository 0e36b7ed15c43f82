//! Request parameters kept as the caller's input and converted when the event is read
//! (`CallAudit::defer_request_parameters`) read exactly as those built before the call.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::audit::CallAudit;
use super::params::{DeferredText, request_parameters};
use crate::context::CallContext;

fn audit() -> CallAudit {
    CallAudit::open(
        "kms",
        Cow::Borrowed("Encrypt"),
        Arc::new(CallContext::root("111122223333", "us-east-1")),
        "e".to_owned(),
        "r".to_owned(),
    )
}

/// Every input of up to three members (secrets, context maps, nested shapes, every order),
/// plus the non-object inputs.
fn inputs() -> Vec<Value> {
    let members = [
        ("KeyId", json!("alias/x")),
        ("Plaintext", json!("aGVsbG8=")),
        ("EncryptionContext", json!({ "Dept": "a", "b": "B" })),
        ("CiphertextBlob", json!("AAAA")),
        ("GrantTokens", json!(["t"])),
        ("Tags", json!([{ "TagKey": "K", "TagValue": "V" }])),
        ("EncryptionAlgorithm", json!("RSAES_OAEP_SHA_256")),
        ("Recipient", json!({ "AttestationDocument": "x" })),
        ("RotationPeriodInDays", json!(90)),
    ];
    let n = members.len();
    let mut inputs = vec![json!({}), json!(null), json!([{ "A": 1 }]), json!("s")];
    for a in 0..n {
        for b in 0..n {
            for c in [None, Some(0), Some(1), Some(2), Some(6)] {
                let mut m = Map::new();
                for i in [Some(a), Some(b), c].into_iter().flatten() {
                    let (k, v) = &members[i];
                    m.insert((*k).to_owned(), v.clone());
                }
                inputs.push(Value::Object(m));
            }
        }
    }
    inputs
}

/// What a service may do to the parameters while serving the call.
#[derive(Clone, Copy, Debug)]
enum Amend {
    Nothing,
    /// KMS's `set_param` (Encrypt, Decrypt).
    Set,
    /// Twice (the second a member the first did not set).
    SetTwice,
    /// The same member twice.
    SetSameTwice,
    /// Through `request_parameters_mut` (rotation, the other services), then `set_param`.
    MutThenSet,
    /// `set_param`, then `request_parameters_mut`.
    SetThenMut,
}

fn amend(a: &mut CallAudit, how: Amend) {
    let via_mut = |a: &mut CallAudit| {
        if let Value::Object(m) = a.request_parameters_mut() {
            m.insert("rotationPeriodInDays".into(), json!(365));
        }
    };
    match how {
        Amend::Nothing => {}
        Amend::Set => a.set_param("encryptionAlgorithm", json!("SYMMETRIC_DEFAULT")),
        Amend::SetTwice => {
            a.set_param("encryptionAlgorithm", json!("SYMMETRIC_DEFAULT"));
            a.set_param("keyId", json!("other"));
        }
        Amend::SetSameTwice => {
            a.set_param("encryptionAlgorithm", json!("A"));
            a.set_param("encryptionAlgorithm", json!("B"));
        }
        Amend::MutThenSet => {
            via_mut(a);
            a.set_param("encryptionAlgorithm", json!("SYMMETRIC_DEFAULT"));
        }
        Amend::SetThenMut => {
            a.set_param("encryptionAlgorithm", json!("SYMMETRIC_DEFAULT"));
            via_mut(a);
        }
    }
}

/// `input`'s request parameters built before the call, and an audit that deferred the same
/// input, both amended `how`.
fn built_and_deferred(input: &Value, how: Amend) -> (Value, CallAudit) {
    let mut built = audit();
    built.set_request_parameters(request_parameters(input));
    amend(&mut built, how);
    let mut deferred = audit();
    deferred.defer_request_parameters(input.clone());
    amend(&mut deferred, how);
    (built.request_parameters().into_owned(), deferred)
}

#[test]
fn deferred_request_parameters_read_as_those_built_before_the_call() {
    let all = [
        Amend::Nothing,
        Amend::Set,
        Amend::SetTwice,
        Amend::SetSameTwice,
        Amend::MutThenSet,
        Amend::SetThenMut,
    ];
    for input in inputs() {
        for how in all {
            let (expected, mut deferred) = built_and_deferred(&input, how);
            let got = deferred.request_parameters().into_owned();
            // Same members, same values, same order.
            assert_eq!(got.to_string(), expected.to_string(), "{input} {how:?}");
            // Kept as text written before the call (every one of these inputs has a text).
            let mut text = audit();
            let written = DeferredText::of(&input);
            assert!(written.is_some(), "{input}");
            if let Some(written) = written {
                text.defer_request_parameters_text(written);
            }
            amend(&mut text, how);
            assert_eq!(
                text.request_parameters().to_string(),
                expected.to_string(),
                "{input} {how:?}"
            );
            assert_eq!(
                text.request_parameters_mut().to_string(),
                expected.to_string(),
                "{input} {how:?}"
            );
            // Built on demand, they stay the same.
            let now = deferred.request_parameters_mut().clone();
            assert_eq!(now.to_string(), expected.to_string(), "{input} {how:?}");
            assert_eq!(
                deferred.request_parameters().to_string(),
                expected.to_string()
            );
        }
    }
}

#[test]
fn deferred_request_parameters_keep_no_secret() {
    let mut a = audit();
    a.defer_request_parameters(json!({
        "KeyId": "k", "Plaintext": "c2VjcmV0", "CiphertextBlob": "AAAA",
        "GrantTokens": ["t"], "GrantToken": "t", "Recipient": {}
    }));
    let kept = format!("{a:?}");
    for secret in ["c2VjcmV0", "AAAA", "GrantToken", "Recipient"] {
        assert!(!kept.contains(secret), "{secret} kept: {kept}");
    }
    assert_eq!(a.request_parameters().into_owned(), json!({ "keyId": "k" }));
}

/// KMS's JSON seam reads the input by reference now: the same requests, the same errors (code
/// and message) as decoding the input it took.
#[test]
fn kms_decodes_by_reference_as_by_value() {
    use crate::kms::Kms;
    use crate::service::Service;
    let inputs = [
        json!({}),
        json!(null),
        json!("text"),
        json!([1]),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=" }),
        json!({ "KeyId": "k", "Plaintext": "not base64!" }),
        json!({ "KeyId": "k", "Plaintext": 5 }),
        json!({ "KeyId": "k", "Plaintext": null }),
        json!({ "KeyId": 1, "Plaintext": "aGVsbG8=" }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "Unknown": 1 }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "EncryptionContext": { "a": "b" } }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "EncryptionContext": { "a": 1 } }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "EncryptionContext": [] }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "GrantTokens": ["t", 2] }),
        json!({ "CiphertextBlob": "AAAA", "EncryptionContext": { "a": "b" } }),
        json!({ "CiphertextBlob": "AA=A" }),
        json!({ "KeyId": "k", "KeySpec": "AES_256", "NumberOfBytes": "32" }),
        json!({ "KeyId": "k", "NumberOfBytes": 32, "DryRun": true }),
        json!({ "KeyId": "k", "RotationPeriodInDays": 90.5 }),
        json!({ "Tags": [{ "TagKey": "a" }] }),
        json!({ "Limit": -1, "Marker": "m" }),
    ];
    let operations = [
        "Encrypt",
        "Decrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncrypt",
        "CreateKey",
        "ListKeys",
        "EnableKeyRotation",
        "DescribeKey",
        "Sign",
        "UpdateCustomKeyStore",
        "NoSuchOperation",
    ];
    for operation in operations {
        for input in &inputs {
            let by_value = Kms::decode(operation, input.clone()).map(|r| format!("{r:?}"));
            let by_ref = Kms::decode_ref(operation, input).map(|d| d.map(|r| format!("{r:?}")));
            let by_ref = by_ref.unwrap_or_else(|| panic!("KMS decodes {operation} by reference"));
            match (&by_value, &by_ref) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{operation} {input}"),
                (Err(a), Err(b)) => {
                    assert_eq!(
                        (&a.code, &a.message),
                        (&b.code, &b.message),
                        "{operation} {input}"
                    );
                }
                _ => panic!("{operation} {input}: {by_value:?} vs {by_ref:?}"),
            }
            // Decoding the input the seam gives up: the same answer; an input it does not
            // decode is left as it was.
            let mut given = input.clone();
            let taking = Kms::decode_taking(operation, &mut given)
                .map(|d| d.map(|r| format!("{r:?}")))
                .unwrap_or_else(|| panic!("KMS decodes {operation} by taking"));
            match (&by_ref, &taking) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{operation} {input}"),
                (Err(a), Err(b)) => {
                    assert_eq!(
                        (&a.code, &a.message),
                        (&b.code, &b.message),
                        "{operation} {input}"
                    );
                    assert_eq!(&given, input);
                }
                _ => panic!("{operation} {input}: {by_ref:?} vs {taking:?}"),
            }
        }
    }
}

/// `set_param_text` (a known text, not copied while the input is deferred) gives the
/// parameters `set_param` of the same string gives, deferred or built, before or after the
/// parameters are built on demand, alone or with a second `set_param`.
#[test]
fn set_param_text_is_set_param_of_the_string() {
    type Step = fn(&mut CallAudit, bool);
    let set: Step = |a, text| {
        if text {
            a.set_param_text("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        } else {
            a.set_param("encryptionAlgorithm", json!("SYMMETRIC_DEFAULT"));
        }
    };
    let second: Step = |a, _| a.set_param("keyId", json!("other"));
    let via_mut: Step = |a, _| {
        if let Value::Object(m) = a.request_parameters_mut() {
            m.insert("rotationPeriodInDays".into(), json!(365));
        }
    };
    let plans: [&[Step]; 5] = [
        &[set],
        &[set, second],
        &[second, set],
        &[via_mut, set],
        &[set, via_mut],
    ];
    for input in inputs() {
        for plan in plans {
            for deferred in [false, true] {
                let run = |text: bool| {
                    let mut a = audit();
                    if deferred {
                        a.defer_request_parameters(input.clone());
                    } else {
                        a.set_request_parameters(request_parameters(&input));
                    }
                    for step in plan {
                        step(&mut a, text);
                    }
                    let read = a.request_parameters().into_owned().to_string();
                    let built = a.request_parameters_mut().to_string();
                    (read, built)
                };
                assert_eq!(run(true), run(false), "{input} deferred: {deferred}");
            }
        }
    }
}

/// `shared_text` gives the text asked for, sharing the allocation of a recent equal text.
#[test]
fn shared_text_is_the_text_and_shares_recent_ones() {
    use super::shared_text;
    let texts: Vec<String> = (0..20)
        .map(|i| format!("arn:aws:kms:us-east-1:111122223333:key/{i}"))
        .collect();
    for t in &texts {
        let a = shared_text(t);
        let b = shared_text(t);
        assert_eq!(&*a, t.as_str());
        assert!(Arc::ptr_eq(&a, &b));
    }
    // Two texts used in turn stay shared.
    let (a, b) = (shared_text(&texts[0]), shared_text(&texts[1]));
    for _ in 0..10 {
        assert!(Arc::ptr_eq(&a, &shared_text(&texts[0])));
        assert!(Arc::ptr_eq(&b, &shared_text(&texts[1])));
    }
    assert_eq!(&*shared_text(""), "");
}

/// A deferred input is kept as its JSON text when that reads back as the same value: inputs
/// with floats, deep nesting, escapes, non-ASCII text and extreme integers read as the
/// parameters built before the call (as values, and as text with the same member order).
#[test]
fn deferred_inputs_of_every_kind_read_back() {
    let mut deep = json!("leaf");
    for _ in 0..130 {
        deep = json!({ "Inner": [deep] });
    }
    let mut just_deep_enough = json!(1);
    for _ in 0..63 {
        just_deep_enough = json!([just_deep_enough]);
    }
    let inputs = [
        json!({ "KeyId": "k", "RotationPeriodInDays": 1.5 }),
        json!({ "N": u64::MAX, "M": i64::MIN, "Z": 0, "F": -0.0, "E": 1e300, "G": 0.1 }),
        json!({ "Only": -7, "Big": 18_446_744_073_709_551_615u64 }),
        json!({
            "S": "quote\" back\\ nl\n tab\t ctl\u{1}\u{1f} é 😀 \u{2028} </script>",
            "EncryptionContext": { "ké\"y": "v\\", "": "" }
        }),
        json!({ "KeyId": "k", "Plaintext": "aGVsbG8=", "Deep": deep }),
        json!({ "KeyId": "k", "Deep": just_deep_enough }),
        json!({ "Nested": { "Tags": [{ "TagKey": "a", "TagValue": null, "B": true }] }, "L": [] }),
        json!({ "Plaintext": "aGVsbG8=" }),
        json!({}),
    ];
    // A float, or nesting deeper than 64, is kept as the value: no text.
    let texts: Vec<bool> = inputs
        .iter()
        .map(|i| DeferredText::of(i).is_some())
        .collect();
    assert_eq!(
        texts,
        [false, false, true, true, false, true, true, true, true]
    );
    for input in inputs {
        for how in [Amend::Nothing, Amend::Set, Amend::SetThenMut] {
            let (expected, mut deferred) = built_and_deferred(&input, how);
            let got = deferred.request_parameters().into_owned();
            assert_eq!(got, expected, "{input} {how:?}");
            // The text written before the call (where there is one) reads the same.
            if let Some(written) = DeferredText::of(&input) {
                let mut text = audit();
                text.defer_request_parameters_text(written);
                amend(&mut text, how);
                assert_eq!(text.request_parameters().into_owned(), expected);
                assert_eq!(
                    text.request_parameters().to_string(),
                    expected.to_string(),
                    "{input} {how:?}"
                );
            }
            assert_eq!(got.to_string(), expected.to_string(), "{input} {how:?}");
            let now = deferred.request_parameters_mut().clone();
            assert_eq!(now.to_string(), expected.to_string(), "{input} {how:?}");
        }
    }
}

/// A retained call event is one allocation: kept under 1,000 bytes, below the size at which
/// glibc's allocator stops serving it from its small bins (about 1 KiB on 64-bit targets),
/// which made every call dearer when the audit grew. Rarely set members of the audit are
/// boxed for this. The audit itself (moved by value through the seam) holds a short input's
/// text inline (about 100 bytes, which saves the event a second allocation): 560 bytes.
#[test]
fn a_call_event_stays_small() {
    let event = std::mem::size_of::<super::TrailEvent>();
    assert!(event <= 1000, "TrailEvent is {event} bytes");
    let audit = std::mem::size_of::<CallAudit>();
    assert!(audit <= 576, "CallAudit is {audit} bytes");
}
