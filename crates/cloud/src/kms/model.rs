//! KMS request and response shapes (AWS JSON protocol: PascalCase members, blobs as base64,
//! timestamps as epoch seconds).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A binary member: base64 on the wire, zeroized on drop (it may hold plaintext).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

/// Zeroes a byte vector's whole allocation (its bytes and its spare capacity) and empties it:
/// the state `zeroize`'s `Vec` implementation leaves, written as copies from a block of zeros
/// (`memcpy`, a few instructions per 32 bytes) rather than one volatile store per byte. The
/// writes cannot be removed as dead: the vector is handed to `black_box` (which the compiler
/// must assume reads its buffer), and a compiler fence orders them before the free, as
/// `zeroize` does.
pub(crate) fn wipe(v: &mut Vec<u8>) {
    use std::mem::MaybeUninit;
    const ZEROS: [MaybeUninit<u8>; 256] = [MaybeUninit::new(0); 256];
    v.clear();
    for chunk in v.spare_capacity_mut().chunks_mut(ZEROS.len()) {
        if let Some(zeros) = ZEROS.get(..chunk.len()) {
            chunk.copy_from_slice(zeros);
        }
    }
    std::hint::black_box(&mut *v);
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

impl zeroize::Zeroize for Blob {
    fn zeroize(&mut self) {
        wipe(&mut self.0);
    }
}

impl Drop for Blob {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl zeroize::ZeroizeOnDrop for Blob {}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        /// Blobs up to 768 bytes (every ciphertext of a small plaintext, every data key) are
        /// encoded on the stack: the serializer copies the text anyway.
        const STACK: usize = 1024;
        let engine = &base64::engine::general_purpose::STANDARD;
        if self.0.len() <= STACK / 4 * 3 {
            let mut buf = [0u8; STACK];
            if let Some(Ok(text)) =
                super::b64::encode_into(&self.0, &mut buf).map(std::str::from_utf8)
            {
                return s.serialize_str(text);
            }
        }
        s.serialize_str(&engine.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The text is decoded where it is (borrowed from a JSON input read by reference)
        // rather than copied first; the errors are those of `String`'s.
        struct Base64;
        impl serde::de::Visitor<'_> for Base64 {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Blob, E> {
                use base64::Engine as _;
                if let Some(bytes) = super::b64::decode_canonical(text.as_bytes()) {
                    return Ok(Blob(bytes));
                }
                base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .map(Blob)
                    .map_err(|e| E::custom(format!("invalid base64 blob: {e}")))
            }
        }
        d.deserialize_string(Base64)
    }
}

/// An encryption context (sorted; JSON order does not matter to KMS).
pub type EncryptionContext = BTreeMap<String, String>;

/// A tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Tag {
    /// 1–128 characters.
    pub tag_key: String,
    /// 0–256 characters.
    pub tag_value: String,
}

macro_rules! shape {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct $name { $($(#[$fm])* #[allow(missing_docs, reason = "AWS member")] pub $field: $ty,)* }
    };
}

macro_rules! out_shape {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name { $($(#[$fm])* #[allow(missing_docs, reason = "AWS member")] #[serde(skip_serializing_if = "is_none")] pub $field: Option<$ty>,)* }
    };
}

fn is_none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

shape!(/// `CreateKey`.
CreateKeyRequest {
    policy: Option<String>,
    description: Option<String>,
    key_usage: Option<String>,
    customer_master_key_spec: Option<String>,
    key_spec: Option<String>,
    origin: Option<String>,
    custom_key_store_id: Option<String>,
    bypass_policy_lockout_safety_check: Option<bool>,
    tags: Option<Vec<Tag>>,
    multi_region: Option<bool>,
    xks_key_id: Option<String>,
});

shape!(/// Operations that take only a key (`EnableKey`, `DisableKey`, `CancelKeyDeletion`, ...).
KeyIdRequest { key_id: String });

shape!(/// `DescribeKey`.
DescribeKeyRequest { key_id: String, grant_tokens: Option<Vec<String>> });

shape!(/// `ListKeys`.
ListKeysRequest { limit: Option<i64>, marker: Option<String>, resource_owners: Option<Vec<String>> });

shape!(/// `UpdateKeyDescription`.
UpdateKeyDescriptionRequest { key_id: String, description: String });

shape!(/// `ScheduleKeyDeletion`.
ScheduleKeyDeletionRequest { key_id: String, pending_window_in_days: Option<i64> });

shape!(/// `Encrypt`.
EncryptRequest {
    key_id: String,
    plaintext: Blob,
    encryption_context: Option<EncryptionContext>,
    grant_tokens: Option<Vec<String>>,
    encryption_algorithm: Option<String>,
    dry_run: Option<bool>,
});

shape!(/// `Decrypt`.
DecryptRequest {
    ciphertext_blob: Blob,
    key_id: Option<String>,
    encryption_context: Option<EncryptionContext>,
    grant_tokens: Option<Vec<String>>,
    encryption_algorithm: Option<String>,
    recipient: Option<Value>,
    dry_run: Option<bool>,
    dry_run_modifiers: Option<Vec<String>>,
});

shape!(/// `ReEncrypt`.
ReEncryptRequest {
    ciphertext_blob: Blob,
    source_encryption_context: Option<EncryptionContext>,
    source_key_id: Option<String>,
    destination_key_id: String,
    destination_encryption_context: Option<EncryptionContext>,
    source_encryption_algorithm: Option<String>,
    destination_encryption_algorithm: Option<String>,
    grant_tokens: Option<Vec<String>>,
    dry_run: Option<bool>,
    dry_run_modifiers: Option<Vec<String>>,
});

shape!(/// `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`.
GenerateDataKeyRequest {
    key_id: String,
    key_spec: Option<String>,
    encryption_context: Option<EncryptionContext>,
    number_of_bytes: Option<i64>,
    grant_tokens: Option<Vec<String>>,
    recipient: Option<Value>,
    dry_run: Option<bool>,
});

shape!(/// `GenerateRandom`.
GenerateRandomRequest { number_of_bytes: Option<i64>, custom_key_store_id: Option<String>, recipient: Option<Value> });

shape!(/// `CreateAlias` and `UpdateAlias`.
AliasRequest { alias_name: String, target_key_id: String });

shape!(/// `DeleteAlias`.
DeleteAliasRequest { alias_name: String });

shape!(/// `ListAliases`.
ListAliasesRequest { key_id: Option<String>, limit: Option<i64>, marker: Option<String> });

shape!(/// `PutKeyPolicy`.
PutKeyPolicyRequest { key_id: String, policy_name: Option<String>, policy: String, bypass_policy_lockout_safety_check: Option<bool> });

shape!(/// `GetKeyPolicy`.
GetKeyPolicyRequest { key_id: String, policy_name: Option<String> });

shape!(/// `ListKeyPolicies`, `ListResourceTags`.
KeyListRequest { key_id: String, limit: Option<i64>, marker: Option<String> });

shape!(/// `ListKeyRotations`.
ListKeyRotationsRequest { key_id: String, include_key_material: Option<String>, limit: Option<i64>, marker: Option<String> });

shape!(/// `EnableKeyRotation`.
EnableKeyRotationRequest { key_id: String, rotation_period_in_days: Option<i64> });

shape!(/// `TagResource`.
TagResourceRequest { key_id: String, tags: Vec<Tag> });

shape!(/// `UntagResource`.
UntagResourceRequest { key_id: String, tag_keys: Vec<String> });

/// Grant constraints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GrantConstraints {
    /// The request's context must include these pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_context_subset: Option<EncryptionContext>,
    /// The request's context must equal these pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_context_equals: Option<EncryptionContext>,
    /// The source ARN (service-principal grantees).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

shape!(/// `CreateGrant`.
CreateGrantRequest {
    key_id: String,
    grantee_principal: Option<String>,
    retiring_principal: Option<String>,
    operations: Vec<String>,
    constraints: Option<GrantConstraints>,
    grant_tokens: Option<Vec<String>>,
    name: Option<String>,
    dry_run: Option<bool>,
    grantee_service_principal: Option<String>,
    retiring_service_principal: Option<String>,
});

shape!(/// `ListGrants`.
ListGrantsRequest {
    limit: Option<i64>,
    marker: Option<String>,
    key_id: String,
    grant_id: Option<String>,
    grantee_principal: Option<String>,
    grantee_service_principal: Option<String>,
});

shape!(/// `ListRetirableGrants`.
ListRetirableGrantsRequest {
    limit: Option<i64>,
    marker: Option<String>,
    retiring_principal: Option<String>,
    retiring_service_principal: Option<String>,
});

shape!(/// `RetireGrant`.
RetireGrantRequest { grant_token: Option<String>, key_id: Option<String>, grant_id: Option<String>, dry_run: Option<bool> });

shape!(/// `RevokeGrant`.
RevokeGrantRequest { key_id: String, grant_id: String, dry_run: Option<bool> });

/// A key's metadata, as `DescribeKey` and `CreateKey` return it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// The owning account.
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    /// The key id.
    pub key_id: String,
    /// The key ARN.
    pub arn: String,
    /// Epoch seconds.
    pub creation_date: f64,
    /// `KeyState == Enabled`.
    pub enabled: bool,
    /// The description.
    pub description: String,
    /// `ENCRYPT_DECRYPT`.
    pub key_usage: String,
    /// The key state.
    pub key_state: String,
    /// When a pending deletion completes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<f64>,
    /// `AWS_KMS` or `EXTERNAL`.
    pub origin: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: String,
    /// Deprecated twin of `KeySpec`.
    pub customer_master_key_spec: String,
    /// `SYMMETRIC_DEFAULT`.
    pub key_spec: String,
    /// Encryption algorithms (ENCRYPT_DECRYPT keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_algorithms: Option<Vec<String>>,
    /// Signing algorithms (SIGN_VERIFY keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_algorithms: Option<Vec<String>>,
    /// MAC algorithms (HMAC keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_algorithms: Option<Vec<String>>,
    /// Key agreement algorithms (KEY_AGREEMENT keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_agreement_algorithms: Option<Vec<String>>,
    /// Key encapsulation algorithms (ENCAPSULATE_DECAPSULATE keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encapsulation_algorithms: Option<Vec<String>>,
    /// Whether the key is a multi-Region key.
    pub multi_region: bool,
    /// Primary and replicas of a multi-Region key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_region_configuration: Option<MultiRegionConfiguration>,
    /// `EXTERNAL` keys: whether the material expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_model: Option<String>,
    /// `EXTERNAL` keys: when the material expires (epoch seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<f64>,
    /// The waiting period of a pending deletion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_deletion_window_in_days: Option<i64>,
    /// The current key material (absent while no material exists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_key_material_id: Option<String>,
}

out_shape!(/// A key of a multi-Region key set.
MultiRegionKey { arn: String, region: String });

out_shape!(/// A multi-Region key's primary and replicas.
MultiRegionConfiguration { multi_region_key_type: String, primary_key: MultiRegionKey, replica_keys: Vec<MultiRegionKey> });

out_shape!(/// `CreateKey` / `DescribeKey` response.
KeyMetadataResponse { key_metadata: Box<KeyMetadata> });

out_shape!(/// Responses carrying only `KeyId`.
KeyIdResponse { key_id: String });

/// An empty response.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Empty {}

out_shape!(/// A `ListKeys` entry.
KeyListEntry { key_id: String, key_arn: String });

out_shape!(/// `ListKeys`.
ListKeysResponse { keys: Vec<KeyListEntry>, next_marker: String, truncated: bool });

out_shape!(/// `ScheduleKeyDeletion`.
ScheduleKeyDeletionResponse { key_id: String, deletion_date: f64, key_state: String, pending_window_in_days: i64 });

out_shape!(/// `Encrypt`.
EncryptResponse { ciphertext_blob: Blob, key_id: String, encryption_algorithm: String });

out_shape!(/// `Decrypt`.
DecryptResponse { key_id: String, plaintext: Blob, encryption_algorithm: String, key_material_id: String });

out_shape!(/// `ReEncrypt`.
ReEncryptResponse {
    ciphertext_blob: Blob,
    source_key_id: String,
    key_id: String,
    source_encryption_algorithm: String,
    destination_encryption_algorithm: String,
    source_key_material_id: String,
    destination_key_material_id: String,
});

out_shape!(/// `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`.
GenerateDataKeyResponse { ciphertext_blob: Blob, plaintext: Blob, key_id: String, key_material_id: String });

out_shape!(/// `GenerateRandom`.
GenerateRandomResponse { plaintext: Blob });

out_shape!(/// A `ListAliases` entry.
AliasListEntry { alias_name: String, alias_arn: String, target_key_id: String, creation_date: f64, last_updated_date: f64 });

out_shape!(/// `ListAliases`.
ListAliasesResponse { aliases: Vec<AliasListEntry>, next_marker: String, truncated: bool });

out_shape!(/// `GetKeyPolicy`.
GetKeyPolicyResponse { policy: String, policy_name: String });

out_shape!(/// `ListKeyPolicies`.
ListKeyPoliciesResponse { policy_names: Vec<String>, next_marker: String, truncated: bool });

out_shape!(/// `GetKeyRotationStatus`.
GetKeyRotationStatusResponse {
    key_rotation_enabled: bool,
    key_id: String,
    rotation_period_in_days: i64,
    next_rotation_date: f64,
    on_demand_rotation_start_date: f64,
});

out_shape!(/// A `ListKeyRotations` entry.
RotationsListEntry { key_id: String, key_material_id: String, key_material_state: String, rotation_date: f64, rotation_type: String });

out_shape!(/// `ListKeyRotations`.
ListKeyRotationsResponse { rotations: Vec<RotationsListEntry>, next_marker: String, truncated: bool });

out_shape!(/// `ListResourceTags`.
ListResourceTagsResponse { tags: Vec<Tag>, next_marker: String, truncated: bool });

out_shape!(/// `GetKeyLastUsage`'s usage record.
KeyLastUsageData { operation: String, timestamp: f64, cloud_trail_event_id: String, kms_request_id: String });

out_shape!(/// `GetKeyLastUsage`.
GetKeyLastUsageResponse { key_id: String, key_last_usage: KeyLastUsageData, tracking_start_date: f64, key_creation_date: f64 });

out_shape!(/// `CreateGrant`.
CreateGrantResponse { grant_token: String, grant_id: String });

out_shape!(/// A grant as `ListGrants` shows it.
GrantListEntry {
    key_id: String,
    grant_id: String,
    name: String,
    creation_date: f64,
    grantee_principal: String,
    retiring_principal: String,
    issuing_account: String,
    operations: Vec<String>,
    constraints: GrantConstraints,
    grantee_service_principal: String,
    retiring_service_principal: String,
});

out_shape!(/// `ListGrants` / `ListRetirableGrants`.
ListGrantsResponse { grants: Vec<GrantListEntry>, next_marker: String, truncated: bool });

shape!(/// `Sign`.
SignRequest { key_id: String, message: Blob, message_type: Option<String>, grant_tokens: Option<Vec<String>>, signing_algorithm: String, dry_run: Option<bool> });

shape!(/// `Verify`.
VerifyRequest { key_id: String, message: Blob, message_type: Option<String>, signature: Blob, signing_algorithm: String, grant_tokens: Option<Vec<String>>, dry_run: Option<bool> });

shape!(/// `GetPublicKey`.
GetPublicKeyRequest { key_id: String, grant_tokens: Option<Vec<String>> });

shape!(/// `GenerateMac`.
GenerateMacRequest { message: Blob, key_id: String, mac_algorithm: String, grant_tokens: Option<Vec<String>>, dry_run: Option<bool> });

shape!(/// `VerifyMac`.
VerifyMacRequest { message: Blob, key_id: String, mac_algorithm: String, mac: Blob, grant_tokens: Option<Vec<String>>, dry_run: Option<bool> });

shape!(/// `GenerateDataKeyPair` and `GenerateDataKeyPairWithoutPlaintext`.
GenerateDataKeyPairRequest { encryption_context: Option<EncryptionContext>, key_id: String, key_pair_spec: String, grant_tokens: Option<Vec<String>>, recipient: Option<Value>, dry_run: Option<bool> });

shape!(/// `DeriveSharedSecret`.
DeriveSharedSecretRequest { key_id: String, key_agreement_algorithm: String, public_key: Blob, grant_tokens: Option<Vec<String>>, dry_run: Option<bool>, recipient: Option<Value> });

shape!(/// `Encapsulate`.
EncapsulateRequest { key_id: String, encapsulation_algorithm: String, grant_tokens: Option<Vec<String>>, dry_run: Option<bool> });

shape!(/// `Decapsulate`.
DecapsulateRequest { key_id: String, shared_secret_ciphertext_blob: Blob, encapsulation_algorithm: String, grant_tokens: Option<Vec<String>>, dry_run: Option<bool> });

shape!(/// `GetParametersForImport`.
GetParametersForImportRequest { key_id: String, wrapping_algorithm: String, wrapping_key_spec: String });

shape!(/// `ImportKeyMaterial`.
ImportKeyMaterialRequest {
    key_id: String,
    import_token: Blob,
    encrypted_key_material: Blob,
    valid_to: Option<Value>,
    expiration_model: Option<String>,
    import_type: Option<String>,
    key_material_description: Option<String>,
    key_material_id: Option<String>,
});

shape!(/// `DeleteImportedKeyMaterial`.
DeleteImportedKeyMaterialRequest { key_id: String, key_material_id: Option<String> });

shape!(/// `ReplicateKey`.
ReplicateKeyRequest { key_id: String, replica_region: String, policy: Option<String>, bypass_policy_lockout_safety_check: Option<bool>, description: Option<String>, tags: Option<Vec<Tag>> });

shape!(/// `UpdatePrimaryRegion`.
UpdatePrimaryRegionRequest { key_id: String, primary_region: String });

out_shape!(/// `Sign`.
SignResponse { key_id: String, signature: Blob, signing_algorithm: String });

out_shape!(/// `Verify`.
VerifyResponse { key_id: String, signature_valid: bool, signing_algorithm: String });

out_shape!(/// `GetPublicKey`.
GetPublicKeyResponse {
    key_id: String,
    public_key: Blob,
    customer_master_key_spec: String,
    key_spec: String,
    key_usage: String,
    encryption_algorithms: Vec<String>,
    signing_algorithms: Vec<String>,
    key_agreement_algorithms: Vec<String>,
    encapsulation_algorithms: Vec<String>,
});

out_shape!(/// `GenerateMac`.
GenerateMacResponse { mac: Blob, mac_algorithm: String, key_id: String });

out_shape!(/// `VerifyMac`.
VerifyMacResponse { key_id: String, mac_valid: bool, mac_algorithm: String });

out_shape!(/// `GenerateDataKeyPair` and `GenerateDataKeyPairWithoutPlaintext`.
GenerateDataKeyPairResponse {
    private_key_ciphertext_blob: Blob,
    private_key_plaintext: Blob,
    public_key: Blob,
    key_id: String,
    key_pair_spec: String,
    key_material_id: String,
});

out_shape!(/// `DeriveSharedSecret`.
DeriveSharedSecretResponse { key_id: String, shared_secret: Blob, key_agreement_algorithm: String, key_origin: String });

out_shape!(/// `Encapsulate`.
EncapsulateResponse { key_id: String, shared_secret: Blob, shared_secret_ciphertext_blob: Blob, encapsulation_algorithm: String });

out_shape!(/// `Decapsulate`.
DecapsulateResponse { key_id: String, shared_secret: Blob, encapsulation_algorithm: String });

out_shape!(/// `GetParametersForImport`.
GetParametersForImportResponse { key_id: String, import_token: Blob, public_key: Blob, parameters_valid_to: f64 });

out_shape!(/// `ImportKeyMaterial` and `DeleteImportedKeyMaterial`.
KeyMaterialResponse { key_id: String, key_material_id: String });

out_shape!(/// `ReplicateKey`.
ReplicateKeyResponse { replica_key_metadata: Box<KeyMetadata>, replica_policy: String, replica_tags: Vec<Tag> });

operations!(KmsRequest / KmsResponse, kms -> KmsClient for crate::kms::Kms {
    create_key: CreateKey(CreateKeyRequest) -> KeyMetadataResponse,
    describe_key: DescribeKey(DescribeKeyRequest) -> KeyMetadataResponse,
    list_keys: ListKeys(ListKeysRequest) -> ListKeysResponse,
    update_key_description: UpdateKeyDescription(UpdateKeyDescriptionRequest) -> Empty,
    enable_key: EnableKey(KeyIdRequest) -> Empty,
    disable_key: DisableKey(KeyIdRequest) -> Empty,
    schedule_key_deletion: ScheduleKeyDeletion(ScheduleKeyDeletionRequest) -> ScheduleKeyDeletionResponse,
    cancel_key_deletion: CancelKeyDeletion(KeyIdRequest) -> KeyIdResponse,
    encrypt: Encrypt(EncryptRequest) -> EncryptResponse,
    decrypt: Decrypt(DecryptRequest) -> DecryptResponse,
    re_encrypt: ReEncrypt(ReEncryptRequest) -> ReEncryptResponse,
    generate_data_key: GenerateDataKey(GenerateDataKeyRequest) -> GenerateDataKeyResponse,
    generate_data_key_without_plaintext: GenerateDataKeyWithoutPlaintext(GenerateDataKeyRequest) -> GenerateDataKeyResponse,
    generate_random: GenerateRandom(GenerateRandomRequest) -> GenerateRandomResponse,
    create_alias: CreateAlias(AliasRequest) -> Empty,
    update_alias: UpdateAlias(AliasRequest) -> Empty,
    delete_alias: DeleteAlias(DeleteAliasRequest) -> Empty,
    list_aliases: ListAliases(ListAliasesRequest) -> ListAliasesResponse,
    put_key_policy: PutKeyPolicy(PutKeyPolicyRequest) -> Empty,
    get_key_policy: GetKeyPolicy(GetKeyPolicyRequest) -> GetKeyPolicyResponse,
    list_key_policies: ListKeyPolicies(KeyListRequest) -> ListKeyPoliciesResponse,
    enable_key_rotation: EnableKeyRotation(EnableKeyRotationRequest) -> Empty,
    disable_key_rotation: DisableKeyRotation(KeyIdRequest) -> Empty,
    get_key_rotation_status: GetKeyRotationStatus(KeyIdRequest) -> GetKeyRotationStatusResponse,
    rotate_key_on_demand: RotateKeyOnDemand(KeyIdRequest) -> KeyIdResponse,
    list_key_rotations: ListKeyRotations(ListKeyRotationsRequest) -> ListKeyRotationsResponse,
    tag_resource: TagResource(TagResourceRequest) -> Empty,
    untag_resource: UntagResource(UntagResourceRequest) -> Empty,
    list_resource_tags: ListResourceTags(KeyListRequest) -> ListResourceTagsResponse,
    get_key_last_usage: GetKeyLastUsage(KeyIdRequest) -> GetKeyLastUsageResponse,
    create_grant: CreateGrant(CreateGrantRequest) -> CreateGrantResponse,
    list_grants: ListGrants(ListGrantsRequest) -> ListGrantsResponse,
    list_retirable_grants: ListRetirableGrants(ListRetirableGrantsRequest) -> ListGrantsResponse,
    retire_grant: RetireGrant(RetireGrantRequest) -> Empty,
    revoke_grant: RevokeGrant(RevokeGrantRequest) -> Empty,
    sign: Sign(SignRequest) -> SignResponse,
    verify: Verify(VerifyRequest) -> VerifyResponse,
    get_public_key: GetPublicKey(GetPublicKeyRequest) -> GetPublicKeyResponse,
    generate_mac: GenerateMac(GenerateMacRequest) -> GenerateMacResponse,
    verify_mac: VerifyMac(VerifyMacRequest) -> VerifyMacResponse,
    generate_data_key_pair: GenerateDataKeyPair(GenerateDataKeyPairRequest) -> GenerateDataKeyPairResponse,
    generate_data_key_pair_without_plaintext: GenerateDataKeyPairWithoutPlaintext(GenerateDataKeyPairRequest) -> GenerateDataKeyPairResponse,
    derive_shared_secret: DeriveSharedSecret(DeriveSharedSecretRequest) -> DeriveSharedSecretResponse,
    encapsulate: Encapsulate(EncapsulateRequest) -> EncapsulateResponse,
    decapsulate: Decapsulate(DecapsulateRequest) -> DecapsulateResponse,
    get_parameters_for_import: GetParametersForImport(GetParametersForImportRequest) -> GetParametersForImportResponse,
    import_key_material: ImportKeyMaterial(ImportKeyMaterialRequest) -> KeyMaterialResponse,
    delete_imported_key_material: DeleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest) -> KeyMaterialResponse,
    replicate_key: ReplicateKey(ReplicateKeyRequest) -> ReplicateKeyResponse,
    update_primary_region: UpdatePrimaryRegion(UpdatePrimaryRegionRequest) -> Empty,
});

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::Blob;

    /// Wiping empties the vector and keeps its allocation (whose every byte it zeroed).
    #[test]
    fn wipe_empties_and_keeps_the_allocation() {
        for (len, cap) in [(0, 0), (0, 16), (5, 5), (64, 100), (1000, 4096)] {
            let mut v = Vec::with_capacity(cap);
            v.extend((0..len).map(|i| i as u8 | 1));
            let cap = v.capacity();
            super::wipe(&mut v);
            assert!(v.is_empty());
            assert_eq!(v.capacity(), cap);
        }
        let mut b = Blob(vec![9; 64]);
        zeroize::Zeroize::zeroize(&mut b);
        assert!(b.0.is_empty());
    }

    /// A blob serialises as its standard base64 text, on either side of the stack buffer.
    #[test]
    fn blobs_serialise_as_base64_at_every_size() {
        for len in (0..=800).chain([1000, 4096, 6144]) {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let expected = base64::engine::general_purpose::STANDARD.encode(&bytes);
            let got = serde_json::to_value(Blob(bytes)).unwrap();
            assert_eq!(got.as_str(), Some(expected.as_str()), "{len} bytes");
        }
    }
}
