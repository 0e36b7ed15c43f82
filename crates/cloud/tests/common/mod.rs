//! Shared helpers for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use cloud::{AwsError, CallContext, World};
use serde_json::{Value, json};

/// 2026-11-22T20:00:00Z.
pub const START: i64 = 1_795_377_600_000;
pub const DAY: i64 = 86_400_000;

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
