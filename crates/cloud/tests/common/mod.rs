//! Shared helpers for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use cloud::{AwsError, CallContext, World};
use serde_json::{Value, json};

/// 2026-11-22T20:00:00Z.
pub const START: i64 = 1_795_377_600_000;
pub const DAY: i64 = 86_400_000;

/// How long a test waits for what it created to be ready (an RDS instance takes ten minutes on
/// the simulated clock, the rest less), as a learner runs `aws … wait` before using it.
pub const READY_MS: i64 = 10 * 60_000;

/// Whether `op` creates an EBS or RDS resource that is not ready at once.
pub fn creates_a_resource(op: &str) -> bool {
    matches!(
        op,
        "CreateVolume"
            | "CreateSnapshot"
            | "CopySnapshot"
            | "CreateDBInstance"
            | "CreateDBSnapshot"
            | "CopyDBSnapshot"
            | "RestoreDBInstanceFromDBSnapshot"
            | "CreateDBInstanceReadReplica"
    )
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(v: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().unwrap())
        .unwrap()
}

pub struct Lab {
    pub w: World,
    pub admin: CallContext,
}

impl Lab {
    pub fn new() -> Lab {
        let mut w = World::new(42, START);
        let admin = w.context_for_profile(None, None).unwrap();
        Lab { w, admin }
    }

    pub fn kms(&mut self, op: &str, input: Value) -> Result<Value, AwsError> {
        let ctx = self.admin.clone();
        self.w.call(&ctx, "kms", op, input)
    }

    pub fn ok(&mut self, op: &str, input: Value) -> Value {
        self.kms(op, input.clone())
            .unwrap_or_else(|e| panic!("{op} {input} failed: {e}"))
    }

    pub fn err(&mut self, op: &str, input: Value) -> AwsError {
        match self.kms(op, input.clone()) {
            Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
            Err(e) => e,
        }
    }

    pub fn create_key(&mut self) -> String {
        self.ok("CreateKey", json!({}))["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn encrypt(&mut self, key: &str, pt: &[u8], ctx: Value) -> String {
        let mut input = json!({ "KeyId": key, "Plaintext": b64(pt) });
        if !ctx.is_null() {
            input["EncryptionContext"] = ctx;
        }
        self.ok("Encrypt", input)["CiphertextBlob"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn decrypt(&mut self, blob: &str, ctx: Value) -> Result<Vec<u8>, AwsError> {
        let mut input = json!({ "CiphertextBlob": blob });
        if !ctx.is_null() {
            input["EncryptionContext"] = ctx;
        }
        self.kms("Decrypt", input).map(|v| unb64(&v["Plaintext"]))
    }

    pub fn state(&mut self, key: &str) -> String {
        self.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["KeyState"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn last_event(&self) -> Value {
        self.w.events().last().unwrap().record.clone()
    }
}

// KMS breadth helpers (asymmetric keys, signatures, imported material).

pub fn create(lab: &mut Lab, spec: &str, usage: &str) -> String {
    lab.ok("CreateKey", json!({ "KeySpec": spec, "KeyUsage": usage }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn public_key(lab: &mut Lab, key: &str) -> Vec<u8> {
    unb64(&lab.ok("GetPublicKey", json!({ "KeyId": key }))["PublicKey"])
}

pub fn sign(lab: &mut Lab, key: &str, alg: &str, msg: &[u8], mt: &str) -> Vec<u8> {
    let out = lab.ok(
        "Sign",
        json!({ "KeyId": key, "Message": b64(msg), "SigningAlgorithm": alg, "MessageType": mt }),
    );
    unb64(&out["Signature"])
}

pub fn verify(
    lab: &mut Lab,
    key: &str,
    alg: &str,
    msg: &[u8],
    sig: &[u8],
) -> Result<Value, cloud::AwsError> {
    lab.kms(
        "Verify",
        json!({ "KeyId": key, "Message": b64(msg), "SigningAlgorithm": alg, "Signature": b64(sig) }),
    )
}

pub fn h(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Imports `material` into an EXTERNAL key; returns the ImportKeyMaterial result.
pub fn import(
    lab: &mut Lab,
    key: &str,
    alg: &str,
    wrap_spec: &str,
    material: &[u8],
    extra: Value,
) -> Result<Value, cloud::AwsError> {
    let p = lab.ok(
        "GetParametersForImport",
        json!({ "KeyId": key, "WrappingAlgorithm": alg, "WrappingKeySpec": wrap_spec }),
    );
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(9);
    let wrapped =
        cloud::client::wrap_key_material(&unb64(&p["PublicKey"]), alg, material, &mut rng).unwrap();
    let mut input = json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped) });
    // AWS's default ExpirationModel (KEY_MATERIAL_EXPIRES) requires ValidTo: without either,
    // the helper imports material that does not expire.
    if extra.get("ValidTo").is_none() && extra.get("ExpirationModel").is_none() {
        input["ExpirationModel"] = json!("KEY_MATERIAL_DOES_NOT_EXPIRE");
    }
    if let Value::Object(m) = extra {
        for (k, v) in m {
            input[k] = v;
        }
    }
    lab.kms("ImportKeyMaterial", input)
}
