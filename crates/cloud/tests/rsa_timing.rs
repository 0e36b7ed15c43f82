#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Measurements, not checks: `cargo test -p cloud --test rsa_timing -- --ignored --nocapture`
//! (add `--release` for the release profile). Each RSA size is generated in a fresh world seed
//! so the process-wide memo does not hide the cost.

use std::time::Instant;

use serde_json::json;

const START: i64 = 1_795_377_600_000;

#[test]
#[ignore = "measurement"]
fn rsa_keygen_and_signing_rates() {
    for bits in [2048, 3072, 4096] {
        let mut times = Vec::new();
        for seed in 0..3u64 {
            let mut w = cloud::World::new(1000 + seed + bits, START);
            let admin = w.context_for_profile(None, None).unwrap();
            let t = Instant::now();
            w.call(
                &admin,
                "kms",
                "CreateKey",
                json!({ "KeySpec": format!("RSA_{bits}"), "KeyUsage": "SIGN_VERIFY" }),
            )
            .unwrap();
            times.push(t.elapsed().as_secs_f64());
        }
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!("RSA_{bits} keygen: mean {mean:.3} s over 3 ({times:?})");
    }
    let mut w = cloud::World::new(5, START);
    let admin = w.context_for_profile(None, None).unwrap();
    w.set_request_quotas(false);
    for (spec, alg) in [
        ("RSA_2048", "RSASSA_PSS_SHA_256"),
        ("ECC_NIST_P256", "ECDSA_SHA_256"),
        ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512"),
    ] {
        let key = w
            .call(
                &admin,
                "kms",
                "CreateKey",
                json!({ "KeySpec": spec, "KeyUsage": "SIGN_VERIFY" }),
            )
            .unwrap()["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned();
        let n = 200;
        let t = Instant::now();
        let mut sig = String::new();
        for _ in 0..n {
            sig = w
                .call(
                    &admin,
                    "kms",
                    "Sign",
                    json!({ "KeyId": key, "Message": "aGk=", "SigningAlgorithm": alg }),
                )
                .unwrap()["Signature"]
                .as_str()
                .unwrap()
                .to_owned();
        }
        let sign_rate = f64::from(n) / t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..n {
            w.call(&admin, "kms", "Verify", json!({ "KeyId": key, "Message": "aGk=", "SigningAlgorithm": alg, "Signature": sig }))
                .unwrap();
        }
        let verify_rate = f64::from(n) / t.elapsed().as_secs_f64();
        println!(
            "{spec} {alg}: Sign {sign_rate:.0}/s, Verify {verify_rate:.0}/s (through World::call)"
        );
    }
}
