//! Post-quantum keys through aws-cli commands: ML-DSA sign/verify, ML-KEM encapsulate and
//! decapsulate with blobs in files, and AWS's errors for a bad enum value and for DIGEST with ML-DSA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use awscli::{FileSystem, ScriptOptions};

mod common;

use common::{ok, session};

#[test]
fn ml_dsa_and_ml_kem_through_aws_cli() {
    let (mut s, mut fs) = session();
    let script = r#"
SK=$(aws kms create-key --key-spec ML_DSA_65 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
echo "release 1.0" > msg.txt
aws kms sign --key-id $SK --message fileb://msg.txt --signing-algorithm ML_DSA_SHAKE_256 \
    --query Signature --output text | base64 -d > sig.bin
aws kms verify --key-id $SK --message fileb://msg.txt --signing-algorithm ML_DSA_SHAKE_256 \
    --signature fileb://sig.bin --query SignatureValid --output text > valid.txt
KK=$(aws kms create-key --key-spec ML_KEM_768 --key-usage ENCAPSULATE_DECAPSULATE --query KeyMetadata.KeyId --output text)
aws kms encapsulate --key-id $KK --encapsulation-algorithm ML_KEM \
    --query SharedSecretCiphertextBlob --output text | base64 -d > ct.bin
aws kms decapsulate --key-id $KK --encapsulation-algorithm ML_KEM \
    --shared-secret-ciphertext-blob fileb://ct.bin --query SharedSecret --output text > secret.txt
"#;
    let out = s.run_script(script, &mut fs, ScriptOptions::default());
    assert_eq!(out.exit_code, 0, "{out:#?}");
    assert_eq!(fs.read("valid.txt").unwrap(), b"True\n");
    assert_eq!(fs.read("ct.bin").unwrap().len(), 1088);
    assert_eq!(fs.read("secret.txt").unwrap().len(), 45); // 32 bytes in base64, and a newline
    let algs = ok(
        &mut s,
        &mut fs,
        "aws kms describe-key --key-id $KK --query KeyMetadata.EncapsulationAlgorithms --output text",
    );
    assert_eq!(algs, "ML_KEM\n");
    // botocore does not check enums client-side: KMS answers the enum constraint.
    let bad = s.run_line(
        "aws kms encapsulate --key-id $KK --encapsulation-algorithm RSA",
        &mut fs,
    );
    assert_eq!(bad.exit_code, 254, "{bad:?}");
    assert!(
        bad.stderr.contains(
            "Value 'RSA' at 'encapsulationAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ML_KEM]"
        ),
        "{bad:?}"
    );
    // DIGEST with an ML-DSA key: AWS's ValidationException.
    let bad = s.run_line(
        "aws kms sign --key-id $SK --message fileb://msg.txt --message-type DIGEST --signing-algorithm ML_DSA_SHAKE_256",
        &mut fs,
    );
    assert_eq!(bad.exit_code, 254, "{bad:?}");
    assert!(
        bad.stderr
            .contains("(ValidationException) when calling the Sign operation: Message type DIGEST is incompatible with key spec ML_DSA_65."),
        "{bad:?}"
    );
}
