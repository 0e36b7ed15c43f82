//! The policy parser and evaluator: the input is parsed as an identity, a resource (key) and a
//! trust policy, and every policy that parses is evaluated against fixed requests.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use policy::{Limits, PolicyDocument, PolicyKind, Principal, RequestContext};

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn requests() -> &'static [RequestContext] {
    static REQUESTS: OnceLock<Vec<RequestContext>> = OnceLock::new();
    REQUESTS.get_or_init(|| {
        let mut decrypt = RequestContext::new(
            Principal::user("111122223333", "alice").with_userid("AIDAEXAMPLE"),
            "kms:Decrypt",
            KEY_ARN,
        );
        decrypt
            .set("kms:ViaService", "s3.us-east-1.amazonaws.com")
            .set(
                "kms:EncryptionContext:aws:s3:arn",
                "arn:aws:s3:::bucket/key",
            )
            .set_list("kms:EncryptionContextKeys", ["aws:s3:arn"])
            .set("aws:SourceIp", "203.0.113.7")
            .set("aws:PrincipalTag/team", "blue")
            .set_bool("aws:SecureTransport", true)
            .set_bool("aws:MultiFactorAuthPresent", true)
            .set_number("aws:MultiFactorAuthAge", 300)
            .set_time(1_795_377_600);
        let mut grant = RequestContext::new(
            Principal::assumed_role("111122223333", "Admin", "session"),
            "kms:CreateGrant",
            KEY_ARN,
        );
        grant
            .set_bool("kms:GrantIsForAWSResource", true)
            .set_list("kms:GrantOperations", ["Decrypt", "Encrypt"])
            .set("kms:CallerAccount", "111122223333");
        let assume = RequestContext::new(
            Principal::service("ec2.amazonaws.com"),
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/App",
        );
        let anonymous = RequestContext::new(
            Principal::anonymous(),
            "s3:GetObject",
            "arn:aws:s3:::bucket/a/b",
        );
        vec![decrypt, grant, assume, anonymous]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (kind, limits) in [
        (PolicyKind::Identity, Limits::none()),
        (PolicyKind::Resource, Limits::kms_key_policy()),
        (PolicyKind::Trust, Limits::none()),
    ] {
        match PolicyDocument::parse(text, kind, limits) {
            Ok(doc) => {
                for ctx in requests() {
                    let evaluation = doc.evaluate(ctx);
                    let _ = std::hint::black_box(format!("{evaluation:?}"));
                }
            }
            Err(e) => {
                let _ = std::hint::black_box(e.to_string());
            }
        }
    }
});
