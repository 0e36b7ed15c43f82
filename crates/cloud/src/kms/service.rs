//! KMS behind the [`Service`] trait: the JSON codec, read-only marking, request quotas, and
//! the `responseElements.keyId` CloudTrail adds for management operations.

use serde_json::{Map, Value, json};

use super::model::{
    Blob, DecryptRequest, EncryptRequest, EncryptionContext, GenerateDataKeyRequest,
    GenerateDataKeyResponse,
};
use super::{Env, Kms, KmsError, KmsRequest, KmsResponse, b64, quota};
use crate::World;
use crate::cloudtrail::{DeferredText, Member, Members};
use crate::context::CallContext;
use crate::error::AwsError;
use crate::service::{CallAudit, Service};

/// Operations whose events CloudTrail marks `readOnly`.
fn read_only(op: &str) -> bool {
    // KMS logs its cryptographic operations as read-only too (they change no resource).
    op.starts_with("Describe")
        || op.starts_with("List")
        || op.starts_with("Get")
        || op.starts_with("GenerateDataKey")
        || matches!(
            op,
            "Encrypt"
                | "Decrypt"
                | "ReEncrypt"
                | "GenerateRandom"
                | "Sign"
                | "Verify"
                | "GenerateMac"
                | "VerifyMac"
                | "DeriveSharedSecret"
                | "Encapsulate"
                | "Decapsulate"
        )
}

/// KMS API operations (from the 2014-11-01 API model) the lab does not implement yet.
const NOT_MODELLED_YET: &[&str] = &[
    "ConnectCustomKeyStore",
    "CreateCustomKeyStore",
    "DeleteCustomKeyStore",
    "DescribeCustomKeyStores",
    "DisconnectCustomKeyStore",
    "UpdateCustomKeyStore",
];

/// A decoded KMS request, or the error AWS answers (an operation the lab does not model, an
/// unknown operation, a malformed request).
fn decoded(
    operation: &str,
    req: Option<Result<KmsRequest, serde_json::Error>>,
) -> Result<KmsRequest, AwsError> {
    let Some(req) = req else {
        if NOT_MODELLED_YET.contains(&operation) {
            return Err(KmsError::UnsupportedOperation(format!(
                "{operation} is a real KMS operation, but the lab does not model it yet"
            ))
            .to_aws());
        }
        return Err(AwsError::new(
            "UnknownOperationException",
            format!("KMS has no operation named `{operation}`"),
        ));
    };
    req.map_err(|e| crate::decode_error("ValidationException", operation, &e))
}

/// How [`decode_with`] reads a string member: copied, or only checked (left empty, for
/// [`decode_direct_taking`] to move the input's string in).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strings {
    Copy,
    Check,
}

/// A string member.
#[cfg_attr(wasm_speed, optimize(speed))]
fn text(v: &Value, s: Strings) -> Option<String> {
    let t = v.as_str()?;
    Some(match s {
        Strings::Copy => t.to_owned(),
        Strings::Check => String::new(),
    })
}

/// A blob member in canonical padded base64 (any other text is left to the derived decoding,
/// which tries the `base64` engine and words its error).
#[cfg_attr(wasm_speed, optimize(speed))]
fn blob(v: &Value) -> Option<Blob> {
    b64::decode_canonical(v.as_str()?.as_bytes()).map(Blob)
}

/// An encryption context: an object of strings (empty when only checked).
fn context(v: &Value, s: Strings) -> Option<EncryptionContext> {
    let m = v.as_object()?;
    let mut ec = EncryptionContext::new();
    if s == Strings::Check {
        return m.values().all(Value::is_string).then_some(ec);
    }
    for (k, v) in m {
        ec.insert(k.clone(), text(v, s)?);
    }
    Some(ec)
}

/// A list of strings.
fn texts(v: &Value, s: Strings) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|v| text(v, s)).collect()
}

/// A string member moved out of the input (left empty).
fn take_text(v: &mut Value) -> String {
    match v {
        Value::String(s) => std::mem::take(s),
        _ => String::new(),
    }
}

/// An encryption context moved out of the input (left `null`).
#[cfg_attr(wasm_speed, optimize(speed))]
fn take_context(v: &mut Value) -> EncryptionContext {
    let mut ec = EncryptionContext::new();
    if let Value::Object(m) = std::mem::take(v) {
        for (k, v) in m {
            if let Value::String(v) = v {
                ec.insert(k, v);
            }
        }
    }
    ec
}

/// A list of strings moved out of the input (left empty).
fn take_texts(v: &mut Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter_mut().map(take_text).collect(),
        _ => Vec::new(),
    }
}

/// The requests of the cryptographic operations a program calls most (Encrypt, Decrypt,
/// GenerateDataKey, GenerateDataKeyWithoutPlaintext) in their plain form, decoded directly:
/// every member one the operation takes, of its JSON type, the required ones present, blobs in
/// canonical base64. The request is the one the derived decoding ([`KmsRequest::decode_ref`])
/// gives for such an input; `None` for anything else (another operation, an unknown or `null`
/// member, a wrong type, a missing member, `Recipient`, non-canonical base64), which the
/// derived decoding then decodes or rejects with its own error.
pub(crate) fn decode_direct(operation: &str, input: &Value) -> Option<KmsRequest> {
    decode_with(operation, input, Strings::Copy)
}

/// [`decode_direct`] of an input the caller gives up: the same request, its string members
/// moved out of `input` (left empty, an encryption context `null`) instead of copied. `None`,
/// and `input` untouched, where [`decode_direct`] is `None`: every member is checked before
/// any is taken.
pub(crate) fn decode_direct_taking(operation: &str, input: &mut Value) -> Option<KmsRequest> {
    let mut req = decode_with(operation, input, Strings::Check)?;
    let m = input.as_object_mut()?;
    match &mut req {
        KmsRequest::Encrypt(r) => {
            for (k, v) in m.iter_mut() {
                match k.as_str() {
                    "KeyId" => r.key_id = take_text(v),
                    "EncryptionContext" => r.encryption_context = Some(take_context(v)),
                    "GrantTokens" => r.grant_tokens = Some(take_texts(v)),
                    "EncryptionAlgorithm" => r.encryption_algorithm = Some(take_text(v)),
                    _ => {}
                }
            }
        }
        KmsRequest::Decrypt(r) => {
            for (k, v) in m.iter_mut() {
                match k.as_str() {
                    "KeyId" => r.key_id = Some(take_text(v)),
                    "EncryptionContext" => r.encryption_context = Some(take_context(v)),
                    "GrantTokens" => r.grant_tokens = Some(take_texts(v)),
                    "EncryptionAlgorithm" => r.encryption_algorithm = Some(take_text(v)),
                    _ => {}
                }
            }
        }
        KmsRequest::GenerateDataKey(r) | KmsRequest::GenerateDataKeyWithoutPlaintext(r) => {
            for (k, v) in m.iter_mut() {
                match k.as_str() {
                    "KeyId" => r.key_id = take_text(v),
                    "KeySpec" => r.key_spec = Some(take_text(v)),
                    "EncryptionContext" => r.encryption_context = Some(take_context(v)),
                    "GrantTokens" => r.grant_tokens = Some(take_texts(v)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    Some(req)
}

/// [`decode_direct`], its strings read as `s` says.
#[cfg_attr(wasm_speed, optimize(speed))]
fn decode_with(operation: &str, input: &Value, s: Strings) -> Option<KmsRequest> {
    let m = input.as_object()?;
    match operation {
        "Encrypt" => {
            let mut r = EncryptRequest::default();
            let (mut key, mut plaintext) = (false, false);
            for (k, v) in m {
                match k.as_str() {
                    "KeyId" => (r.key_id, key) = (text(v, s)?, true),
                    "Plaintext" => (r.plaintext, plaintext) = (blob(v)?, true),
                    "EncryptionContext" => r.encryption_context = Some(context(v, s)?),
                    "GrantTokens" => r.grant_tokens = Some(texts(v, s)?),
                    "EncryptionAlgorithm" => r.encryption_algorithm = Some(text(v, s)?),
                    "DryRun" => r.dry_run = Some(v.as_bool()?),
                    _ => return None,
                }
            }
            (key && plaintext).then_some(KmsRequest::Encrypt(r))
        }
        "Decrypt" => {
            let mut r = DecryptRequest::default();
            let mut ciphertext = false;
            for (k, v) in m {
                match k.as_str() {
                    "CiphertextBlob" => (r.ciphertext_blob, ciphertext) = (blob(v)?, true),
                    "KeyId" => r.key_id = Some(text(v, s)?),
                    "EncryptionContext" => r.encryption_context = Some(context(v, s)?),
                    "GrantTokens" => r.grant_tokens = Some(texts(v, s)?),
                    "EncryptionAlgorithm" => r.encryption_algorithm = Some(text(v, s)?),
                    "DryRun" => r.dry_run = Some(v.as_bool()?),
                    _ => return None,
                }
            }
            ciphertext.then_some(KmsRequest::Decrypt(r))
        }
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
            let mut r = GenerateDataKeyRequest::default();
            let mut key = false;
            for (k, v) in m {
                match k.as_str() {
                    "KeyId" => (r.key_id, key) = (text(v, s)?, true),
                    "KeySpec" => r.key_spec = Some(text(v, s)?),
                    "EncryptionContext" => r.encryption_context = Some(context(v, s)?),
                    "NumberOfBytes" => r.number_of_bytes = Some(v.as_i64()?),
                    "GrantTokens" => r.grant_tokens = Some(texts(v, s)?),
                    "DryRun" => r.dry_run = Some(v.as_bool()?),
                    _ => return None,
                }
            }
            if !key {
                return None;
            }
            Some(if operation == "GenerateDataKey" {
                KmsRequest::GenerateDataKey(r)
            } else {
                KmsRequest::GenerateDataKeyWithoutPlaintext(r)
            })
        }
        _ => None,
    }
}

/// [`KmsRequest::to_input`] of Encrypt, Decrypt, GenerateDataKey and
/// GenerateDataKeyWithoutPlaintext for the event of a typed call, built directly: the same
/// members in the same order (absent ones left out), except that the secret members the event
/// drops (`Plaintext`, `CiphertextBlob`, `GrantTokens`) are `null` placeholders in their place
/// instead of being encoded, so the plaintext is never serialised; the event's
/// `requestParameters` built from it are the same. `None` for other requests and for a
/// `Recipient` (left to `to_input`).
pub(crate) fn audit_input_direct(req: &KmsRequest) -> Option<Value> {
    direct_members(req)?.to_value()
}

/// The members of [`audit_input_direct`]'s input, borrowed from the request: `None` for every
/// other request, and for a Decrypt or GenerateDataKey with a `Recipient` (which the derived
/// encoding logs).
fn direct_members(req: &KmsRequest) -> Option<Members<'_>> {
    fn secret(present: bool) -> Option<Member<'static>> {
        present.then_some(Member::Secret)
    }
    fn text(s: &Option<String>) -> Option<Member<'_>> {
        s.as_deref().map(Member::Str)
    }
    fn context(ec: &Option<EncryptionContext>) -> Option<Member<'_>> {
        ec.as_ref().map(Member::Map)
    }
    let mut m = Members::new();
    match req {
        KmsRequest::Encrypt(r) => {
            m.put("KeyId", Some(Member::Str(&r.key_id)));
            m.put("Plaintext", secret(true));
            m.put("EncryptionContext", context(&r.encryption_context));
            m.put("GrantTokens", secret(r.grant_tokens.is_some()));
            m.put("EncryptionAlgorithm", text(&r.encryption_algorithm));
            m.put("DryRun", r.dry_run.map(Member::Bool));
        }
        KmsRequest::Decrypt(r) => {
            if r.recipient.is_some() {
                return None;
            }
            m.put("CiphertextBlob", secret(true));
            m.put("KeyId", text(&r.key_id));
            m.put("EncryptionContext", context(&r.encryption_context));
            m.put("GrantTokens", secret(r.grant_tokens.is_some()));
            m.put("EncryptionAlgorithm", text(&r.encryption_algorithm));
            m.put("DryRun", r.dry_run.map(Member::Bool));
            m.put(
                "DryRunModifiers",
                r.dry_run_modifiers.as_deref().map(Member::List),
            );
        }
        KmsRequest::GenerateDataKey(r) | KmsRequest::GenerateDataKeyWithoutPlaintext(r) => {
            if r.recipient.is_some() {
                return None;
            }
            m.put("KeyId", Some(Member::Str(&r.key_id)));
            m.put("KeySpec", text(&r.key_spec));
            m.put("EncryptionContext", context(&r.encryption_context));
            m.put("NumberOfBytes", r.number_of_bytes.map(Member::Int));
            m.put("GrantTokens", secret(r.grant_tokens.is_some()));
            m.put("DryRun", r.dry_run.map(Member::Bool));
        }
        _ => return None,
    }
    Some(m)
}

/// The JSON of the responses of the cryptographic operations a program calls most (Encrypt,
/// Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext), built directly: the same members
/// in the same order as their derived serialisation ([`KmsResponse::encode`]) gives, absent
/// members left out, blobs as padded base64. The response's strings move into the JSON (no
/// copy). Every other response is given back (`Err`) for the derived serialisation, as is one
/// whose blob could not be written (never: [`b64::encode_string`] writes every blob): the
/// blobs are written before anything moves out of the response.
#[allow(
    clippy::result_large_err,
    reason = "the response is given back only on the derived serialisation's path, and boxing it would allocate"
)]
pub(crate) fn encode_direct(resp: KmsResponse) -> Result<Value, KmsResponse> {
    match resp {
        KmsResponse::Encrypt(r) => {
            let Some(ciphertext) = blob_text(r.ciphertext_blob.as_ref()) else {
                return Err(KmsResponse::Encrypt(r));
            };
            static SHAPE: Shape<3> = Shape::new(["CiphertextBlob", "KeyId", "EncryptionAlgorithm"]);
            Ok(SHAPE.object([ciphertext, r.key_id, r.encryption_algorithm]))
        }
        KmsResponse::Decrypt(r) => {
            let Some(plaintext) = blob_text(r.plaintext.as_ref()) else {
                return Err(KmsResponse::Decrypt(r));
            };
            static SHAPE: Shape<4> =
                Shape::new(["KeyId", "Plaintext", "EncryptionAlgorithm", "KeyMaterialId"]);
            Ok(SHAPE.object([
                r.key_id,
                plaintext,
                r.encryption_algorithm,
                r.key_material_id,
            ]))
        }
        KmsResponse::GenerateDataKey(r) => {
            generate_data_key(r).map_err(KmsResponse::GenerateDataKey)
        }
        KmsResponse::GenerateDataKeyWithoutPlaintext(r) => {
            generate_data_key(r).map_err(KmsResponse::GenerateDataKeyWithoutPlaintext)
        }
        other => Err(other),
    }
}

/// [`encode_direct`] of a GenerateDataKey(WithoutPlaintext) response.
#[cfg_attr(wasm_speed, optimize(speed))]
fn generate_data_key(r: GenerateDataKeyResponse) -> Result<Value, GenerateDataKeyResponse> {
    let (Some(ciphertext), Some(plaintext)) = (
        blob_text(r.ciphertext_blob.as_ref()),
        blob_text(r.plaintext.as_ref()),
    ) else {
        return Err(r);
    };
    static SHAPE: Shape<4> = Shape::new(["CiphertextBlob", "Plaintext", "KeyId", "KeyMaterialId"]);
    Ok(SHAPE.object([ciphertext, plaintext, r.key_id, r.key_material_id]))
}

/// The members of a directly encoded response, in order, and the JSON object of all of them
/// (`null`), built once: a response with every member present is a clone of that object
/// (which copies its hash table as it is) with the values put in place, instead of an object
/// built by inserting each name (which hashes every name again, with SipHash, on every call).
struct Shape<const N: usize> {
    names: [&'static str; N],
    all: std::sync::OnceLock<Map<String, Value>>,
}

impl<const N: usize> Shape<N> {
    const fn new(names: [&'static str; N]) -> Self {
        Self {
            names,
            all: std::sync::OnceLock::new(),
        }
    }

    /// The response's object: its present members (`Some`) in `names`' order.
    #[cfg_attr(wasm_speed, optimize(speed))]
    fn object(&self, values: [Option<String>; N]) -> Value {
        if values.iter().all(Option::is_some) {
            let all = self.all.get_or_init(|| {
                (self.names.iter())
                    .map(|name| ((*name).to_owned(), Value::Null))
                    .collect()
            });
            let mut m = all.clone();
            for ((_, slot), v) in m.iter_mut().zip(values) {
                *slot = v.map_or(Value::Null, Value::String);
            }
            return Value::Object(m);
        }
        let mut m = Map::with_capacity(N);
        for (name, v) in self.names.iter().zip(values) {
            if let Some(v) = v {
                m.insert((*name).to_owned(), Value::String(v));
            }
        }
        Value::Object(m)
    }
}

/// A blob member's base64 text (`Some(None)`: the member is absent); `None` if it could not be
/// written.
#[cfg_attr(wasm_speed, optimize(speed))]
fn blob_text(v: Option<&Blob>) -> Option<Option<String>> {
    v.map(|b| b64::encode_string(&b.0))
        .map_or(Some(None), |t| t.map(Some))
}

impl Service for Kms {
    const NAME: &'static str = "kms";
    type Request = KmsRequest;
    type Response = KmsResponse;
    type Error = KmsError;

    fn operation(req: &KmsRequest) -> &'static str {
        req.operation()
    }

    fn decode(operation: &str, input: Value) -> Result<KmsRequest, AwsError> {
        decoded(operation, KmsRequest::decode(operation, input))
    }

    const DECODES_BY_REF: bool = true;

    fn decode_ref(operation: &str, input: &Value) -> Option<Result<KmsRequest, AwsError>> {
        if let Some(req) = decode_direct(operation, input) {
            return Some(Ok(req));
        }
        Some(decoded(operation, KmsRequest::decode_ref(operation, input)))
    }

    fn decode_taking(operation: &str, input: &mut Value) -> Option<Result<KmsRequest, AwsError>> {
        if let Some(req) = decode_direct_taking(operation, input) {
            return Some(Ok(req));
        }
        Some(decoded(operation, KmsRequest::decode_ref(operation, input)))
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    fn encode(resp: KmsResponse) -> Result<Value, AwsError> {
        let resp = match encode_direct(resp) {
            Ok(v) => return Ok(v),
            Err(resp) => resp,
        };
        resp.encode()
            .map_err(|e| KmsError::KmsInternal(e.to_string()).to_aws())
    }

    fn audit_input(req: &KmsRequest) -> Value {
        audit_input_direct(req).unwrap_or_else(|| req.to_input())
    }

    fn defer_audit_input(req: &KmsRequest, audit: &mut CallAudit) -> bool {
        direct_members(req)
            .and_then(|m| DeferredText::of_members(&m))
            .map(|text| audit.defer_request_parameters_text(text))
            .is_some()
    }

    fn client_side(e: AwsError) -> KmsError {
        KmsError::EndpointConnection(e.message)
    }

    fn internal(message: String) -> KmsError {
        KmsError::KmsInternal(message)
    }

    #[cfg_attr(wasm_speed, optimize(speed))]
    fn handle(
        world: &mut World,
        ctx: &CallContext,
        req: KmsRequest,
        audit: &mut CallAudit,
    ) -> Result<KmsResponse, KmsError> {
        let operation = req.operation();
        let now = world.now_ms();
        let kms = &mut world.kms;
        // Replicas created by an earlier ReplicateKey have finished creating.
        kms.finish_creating();
        audit.read_only = read_only(operation);
        if kms.admit(ctx, operation, &req, now, 1, kms.quotas_enforced) == 0 {
            let (spec, owner, _) = kms.quota_subject(ctx, &req);
            let (name, limit) = quota::quota_for(operation, spec, &ctx.region).unwrap_or(("", 0));
            return Err(KmsError::Throttling(format!(
                "Rate exceeded ({name}: {limit} per second for account {owner} in {})",
                ctx.region
            )));
        }
        let mut env = Env {
            now,
            rng: &mut world.rng,
            audit,
            iam: &world.iam,
        };
        let resp = kms.handle(&mut env, ctx, req)?;
        // Since December 2022 CloudTrail names the affected key in `responseElements.keyId` for
        // management operations that do not return it.
        if !env.audit.read_only
            && env.audit.response_elements.is_null()
            && let Some(r) = env.audit.resources.iter().find(|r| r.arn.contains(":key/"))
        {
            env.audit.response_elements = json!({ "keyId": r.arn });
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{
        DeferredText, audit_input_direct, decode_direct, decode_direct_taking, direct_members,
        encode_direct,
    };
    use crate::kms::KmsResponse;
    use crate::kms::model::{Blob, DecryptResponse, EncryptResponse, GenerateDataKeyResponse};

    /// Every combination of present and absent members, blobs of several sizes (on either side
    /// of the serialiser's stack buffer): the direct JSON is the derived serialisation's, as
    /// text (member order included).
    #[test]
    fn direct_encoding_is_the_derived_one() {
        let blobs = [0usize, 1, 2, 3, 64, 100, 767, 768, 769, 1000, 6144];
        let blob = |n: usize| Blob((0..n).map(|i| (i * 31 + n) as u8).collect());
        let text = |s: &str| Some(s.to_owned());
        let mut checked = 0;
        for &n in &blobs {
            for mask in 0u32..16 {
                let on = |bit: u32| mask & (1 << bit) != 0;
                let responses = [
                    KmsResponse::Encrypt(EncryptResponse {
                        ciphertext_blob: on(0).then(|| blob(n)),
                        key_id: on(1)
                            .then(|| "arn:aws:kms:eu-west-1:111122223333:key/k".to_owned()),
                        encryption_algorithm: if on(2) {
                            text("SYMMETRIC_DEFAULT")
                        } else {
                            None
                        },
                    }),
                    KmsResponse::Decrypt(DecryptResponse {
                        key_id: on(0).then(|| "k\"é\u{1}".to_owned()),
                        plaintext: on(1).then(|| blob(n)),
                        encryption_algorithm: if on(2) {
                            text("SYMMETRIC_DEFAULT")
                        } else {
                            None
                        },
                        key_material_id: if on(3) { text("m") } else { None },
                    }),
                    KmsResponse::GenerateDataKey(GenerateDataKeyResponse {
                        ciphertext_blob: on(0).then(|| blob(n)),
                        plaintext: on(1).then(|| blob(n / 2)),
                        key_id: if on(2) { text("") } else { None },
                        key_material_id: if on(3) { text("m") } else { None },
                    }),
                    KmsResponse::GenerateDataKeyWithoutPlaintext(GenerateDataKeyResponse {
                        ciphertext_blob: on(0).then(|| blob(n)),
                        plaintext: on(1).then(|| blob(n)),
                        key_id: if on(2) { text("k") } else { None },
                        key_material_id: if on(3) { text("m") } else { None },
                    }),
                ];
                for r in responses {
                    let expected = r.encode().unwrap();
                    let shown = format!("{r:?}");
                    let got = encode_direct(r).unwrap();
                    assert_eq!(got.to_string(), expected.to_string(), "{shown}");
                    assert_eq!(got, expected);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, blobs.len() * 16 * 4);
        // Any other response is left to the derived serialisation.
        let other = KmsResponse::GenerateRandom(crate::kms::model::GenerateRandomResponse {
            plaintext: Some(blob(4)),
        });
        assert!(matches!(
            encode_direct(other),
            Err(KmsResponse::GenerateRandom(r)) if r.plaintext == Some(blob(4))
        ));
    }

    /// The direct decoding gives the derived decoding's request (every member, blobs by their
    /// bytes) for every input it takes, and takes the plain inputs of the hot path; every
    /// input it leaves is one the derived decoding words (or decodes) itself.
    #[test]
    fn direct_decoding_is_the_derived_one() {
        let members = [
            ("KeyId", json!("arn:aws:kms:us-east-1:111122223333:key/k")),
            ("KeyId", json!(7)),
            ("KeyId", Value::Null),
            ("Plaintext", json!("aGVsbG8=")),
            ("Plaintext", json!("")),
            ("Plaintext", json!("aGVsbG8")),
            ("Plaintext", json!("aGVsbG9=")),
            ("CiphertextBlob", json!("AAECAwQFBgcICQ==")),
            ("CiphertextBlob", json!(["AA=="])),
            (
                "EncryptionContext",
                json!({ "purpose": "bench", "dept": "lab" }),
            ),
            ("EncryptionContext", json!({})),
            ("EncryptionContext", json!({ "a": 1 })),
            ("EncryptionContext", Value::Null),
            ("GrantTokens", json!(["t1", "t2"])),
            ("GrantTokens", json!([])),
            ("GrantTokens", json!(["t", 2])),
            ("EncryptionAlgorithm", json!("SYMMETRIC_DEFAULT")),
            ("EncryptionAlgorithm", json!("RSAES_OAEP_SHA_256")),
            ("EncryptionAlgorithm", json!(false)),
            ("DryRun", json!(true)),
            ("DryRun", json!("true")),
            ("KeySpec", json!("AES_128")),
            ("KeySpec", json!(256)),
            ("NumberOfBytes", json!(32)),
            ("NumberOfBytes", json!(-1)),
            ("NumberOfBytes", json!(32.0)),
            ("NumberOfBytes", json!(u64::MAX)),
            ("Recipient", json!({ "AttestationDocument": "AA==" })),
            ("DryRunModifiers", json!(["IGNORE_CIPHERTEXT"])),
            ("Unknown", json!(1)),
        ];
        let operations = [
            "Encrypt",
            "Decrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncrypt",
            "DescribeKey",
        ];
        // Every input of up to three members (every order), plus the non-object inputs.
        let n = members.len();
        let mut inputs = vec![json!({}), json!(null), json!([]), json!("s")];
        for a in 0..n {
            for b in 0..n {
                for c in [
                    None,
                    Some(0),
                    Some(3),
                    Some(7),
                    Some(9),
                    Some(13),
                    Some(19),
                    Some(23),
                ] {
                    let mut m = Map::new();
                    for i in [Some(a), Some(b), c].into_iter().flatten() {
                        let (k, v) = &members[i];
                        m.insert((*k).to_owned(), v.clone());
                    }
                    inputs.push(Value::Object(m));
                }
            }
        }
        let mut taken = 0;
        for operation in operations {
            for input in &inputs {
                // Taking the strings gives the same request, and leaves an input it does not
                // decode as it was.
                let mut given = input.clone();
                let took = decode_direct_taking(operation, &mut given);
                let Some(direct) = decode_direct(operation, input) else {
                    assert!(took.is_none(), "{operation} {input}");
                    assert_eq!(&given, input);
                    continue;
                };
                assert_eq!(
                    format!("{:?}", took.unwrap()),
                    format!("{direct:?}"),
                    "{operation} {input}"
                );
                taken += 1;
                let derived = crate::kms::KmsRequest::decode_ref(operation, input)
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{operation} {input}: {e}"));
                assert_eq!(
                    format!("{direct:?}"),
                    format!("{derived:?}"),
                    "{operation} {input}"
                );
                assert_eq!(
                    direct.to_input().to_string(),
                    derived.to_input().to_string(),
                    "{operation} {input}"
                );
            }
        }
        assert!(taken >= 700, "{taken}");
        // The bench's inputs (and the plainest ones) take the direct path.
        let key = "1234abcd-12ab-34cd-56ef-1234567890ab";
        let ec = json!({ "purpose": "bench", "dept": "lab" });
        for (operation, input) in [
            (
                "Encrypt",
                json!({ "KeyId": key, "Plaintext": "aGVsbG8=", "EncryptionContext": ec }),
            ),
            (
                "Decrypt",
                json!({ "CiphertextBlob": "AAECAwQFBgcICQ==", "EncryptionContext": ec }),
            ),
            (
                "GenerateDataKey",
                json!({ "KeyId": key, "KeySpec": "AES_256" }),
            ),
            (
                "GenerateDataKeyWithoutPlaintext",
                json!({ "KeyId": key, "NumberOfBytes": 64 }),
            ),
        ] {
            assert!(
                decode_direct(operation, &input).is_some(),
                "{operation} {input}"
            );
        }
    }

    /// A typed call's event parameters from the direct audit input are those of the
    /// serialised request (as text: member order included), for every request the direct
    /// decoding takes in the test above's kind of inputs.
    #[test]
    fn direct_audit_input_gives_the_same_parameters() {
        use crate::cloudtrail::request_parameters_owned;
        let values = [
            ("KeyId", vec![json!("k"), json!("alias/a")]),
            ("Plaintext", vec![json!("aGVsbG8="), json!("")]),
            ("CiphertextBlob", vec![json!("AAECAwQFBgcICQ==")]),
            (
                "EncryptionContext",
                vec![json!({ "b": "2", "a\"": "1\n", "é": "\\" }), json!({})],
            ),
            ("GrantTokens", vec![json!(["t1", "t2"]), json!([])]),
            ("EncryptionAlgorithm", vec![json!("SYMMETRIC_DEFAULT")]),
            ("DryRun", vec![json!(true), json!(false)]),
            ("KeySpec", vec![json!("AES_128")]),
            ("NumberOfBytes", vec![json!(32)]),
        ];
        let mut checked = 0;
        // Every subset of the members (in declaration order), with each member's values.
        for mask in 0u32..(1 << values.len()) {
            for pick in 0..2 {
                let mut m = Map::new();
                for (i, (k, vs)) in values.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        m.insert((*k).to_owned(), vs[pick.min(vs.len() - 1)].clone());
                    }
                }
                let input = Value::Object(m);
                for op in [
                    "Encrypt",
                    "Decrypt",
                    "GenerateDataKey",
                    "GenerateDataKeyWithoutPlaintext",
                ] {
                    let Some(req) = decode_direct(op, &input) else {
                        continue;
                    };
                    let direct = request_parameters_owned(audit_input_direct(&req).unwrap());
                    let derived = request_parameters_owned(req.to_input());
                    assert_eq!(direct.to_string(), derived.to_string(), "{op} {input}");
                    // The typed seam's text of the same members reads back the same.
                    let text = DeferredText::of_members(&direct_members(&req).unwrap()).unwrap();
                    assert_eq!(
                        text.read_back().to_string(),
                        derived.to_string(),
                        "{op} {input}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 200, "{checked}");
        // DryRunModifiers and a Recipient (decoded by the derived decoding).
        let req = crate::kms::KmsRequest::decode_ref(
            "Decrypt",
            &json!({ "CiphertextBlob": "AAAA", "DryRunModifiers": ["IGNORE_CIPHERTEXT"], "KeyId": "k" }),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            request_parameters_owned(audit_input_direct(&req).unwrap()).to_string(),
            request_parameters_owned(req.to_input()).to_string()
        );
        let text = DeferredText::of_members(&direct_members(&req).unwrap()).unwrap();
        assert_eq!(
            text.read_back().to_string(),
            request_parameters_owned(req.to_input()).to_string()
        );
        let req = crate::kms::KmsRequest::decode_ref(
            "Decrypt",
            &json!({ "CiphertextBlob": "AAAA", "Recipient": { "AttestationDocument": "AA==" } }),
        )
        .unwrap()
        .unwrap();
        assert!(audit_input_direct(&req).is_none());
        assert!(direct_members(&req).is_none());
    }

    /// The response enum stays small: it is moved through the typed seam's slot on every call
    /// (`KeyMetadata`, 400-odd bytes, is boxed in the responses that carry it).
    #[test]
    fn the_response_enum_stays_small() {
        assert!(
            size_of::<KmsResponse>() <= 216,
            "{}",
            size_of::<KmsResponse>()
        );
    }
}
