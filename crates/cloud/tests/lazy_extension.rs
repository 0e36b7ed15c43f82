//! With the `lazy` feature (the browser app's build), the engine's services (KMS, IAM, STS and
//! CloudTrail as much as the twelve beyond them) are present only once installed: until then a
//! call that needs one answers `ServiceUnavailable` and is noted, so the caller can run it again
//! later. The world itself (its state, its profiles, its clock) needs none of them.
//! Run with `cargo test -p cloud --features lazy --test lazy_extension` (one test: installing is
//! for the whole process).
#![cfg(feature = "lazy")]

use cloud::World;
use cloud::kms::model::DescribeKeyRequest;
use cloud::service;
use cloud::sqs::model::CreateQueueRequest;
use serde_json::json;

#[test]
fn services_beyond_the_core_are_there_once_installed() {
    let mut world = World::new(7, 1_795_377_600_000);
    let ctx = world.context_for_profile(None, None).unwrap();
    assert!(!service::installed());
    assert!(!service::take_wanted());

    // The core waits too: KMS and STS through the JSON seam, KMS through the typed client and
    // through `lab load`; each answers the same error with no event and notes the want.
    let events = world.events().count();
    for (service, operation) in [("kms", "CreateKey"), ("sts", "GetCallerIdentity")] {
        let err = world.call(&ctx, service, operation, json!({})).unwrap_err();
        assert_eq!(err.code, "ServiceUnavailable", "{service}");
        assert!(
            err.message
                .contains(&format!("still loading the {service} service")),
            "{err:?}"
        );
        assert!(service::take_wanted());
    }
    let err = world
        .client(&ctx)
        .kms()
        .describe_key(DescribeKeyRequest {
            key_id: "alias/aws/s3".into(),
            ..DescribeKeyRequest::default()
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("still loading the kms service"),
        "{err}"
    );
    assert!(service::take_wanted());
    let err = world
        .load(&ctx, "GenerateRandom", "alias/none", 10, 1_000)
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert!(service::take_wanted());
    assert_eq!(world.events().count(), events);

    // A service beyond it, through the JSON seam: an error, no event, and the want is noted
    // (once).
    let err = world
        .call(&ctx, "s3api", "CreateBucket", json!({ "Bucket": "logs" }))
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert_eq!(world.events().count(), events);
    assert!(service::take_wanted());
    assert!(!service::take_wanted());

    // Through the typed client.
    let err = world
        .client(&ctx)
        .sqs()
        .create_queue(CreateQueueRequest {
            queue_name: Some("jobs".into()),
            ..CreateQueueRequest::default()
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("still loading the sqs service"),
        "{err}"
    );
    assert!(service::take_wanted());

    // A service the lab does not model is still unknown, and wants nothing.
    let err = world
        .call(&ctx, "lambda", "ListFunctions", json!({}))
        .unwrap_err();
    assert_eq!(err.code, "UnknownServiceError");
    assert!(!service::take_wanted());

    // An asymmetric key cannot be made yet either (KMS waits, its crypto with it).
    let signing = json!({ "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY" });
    let err = world
        .call(&ctx, "kms", "CreateKey", signing.clone())
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert!(service::take_wanted());

    // Installed: the same calls run, and nothing is wanted.
    service::install(service::extension());
    assert!(service::installed());
    world.call(&ctx, "kms", "CreateKey", json!({})).unwrap();
    world
        .call(&ctx, "sts", "GetCallerIdentity", json!({}))
        .unwrap();
    let report = world
        .load(&ctx, "GenerateRandom", "alias/none", 10, 1_000)
        .unwrap();
    assert_eq!(report.requests, 10);
    world
        .call(&ctx, "s3api", "CreateBucket", json!({ "Bucket": "logs" }))
        .unwrap();
    world
        .client(&ctx)
        .sqs()
        .create_queue(CreateQueueRequest {
            queue_name: Some("jobs".into()),
            ..CreateQueueRequest::default()
        })
        .unwrap();
    let key = world.call(&ctx, "kms", "CreateKey", signing).unwrap();
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let signed = world
        .call(
            &ctx,
            "kms",
            "Sign",
            json!({ "KeyId": key_id, "Message": "aGk=", "SigningAlgorithm": "ECDSA_SHA_256" }),
        )
        .unwrap();
    let verified = world
        .call(
            &ctx,
            "kms",
            "Verify",
            json!({ "KeyId": key_id, "Message": "aGk=", "SigningAlgorithm": "ECDSA_SHA_256",
                    "Signature": signed["Signature"] }),
        )
        .unwrap();
    assert_eq!(verified["SignatureValid"], true);
    assert!(!service::take_wanted());
}
