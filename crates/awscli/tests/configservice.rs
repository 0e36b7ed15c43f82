//! `aws configservice …` through the terminal, with the syntax of the AWS CLI reference:
//! the recorder and delivery channel, `put-config-rule` from a file and in shorthand (quoted, as
//! the reference quotes it: unquoted, the shell's brace expansion splits `{Owner=…,…}`), and
//! `get-compliance-details-by-config-rule` / `describe-compliance-by-config-rule` output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use awscli::FileSystem;
use common::{ok, session};
use serde_json::{Value, json};

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn a_managed_rule_from_a_file_and_in_shorthand() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws s3api create-bucket --bucket config-bucket-111122223333",
    );
    // A rule before any recorder is refused, as in AWS.
    let out = s.run_line(
        "aws configservice put-config-rule --config-rule 'ConfigRuleName=early,Source={Owner=AWS,SourceIdentifier=ENCRYPTED_VOLUMES}'",
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("NoAvailableConfigurationRecorderException"),
        "{}",
        out.stderr
    );
    ok(
        &mut s,
        &mut fs,
        "aws configservice put-configuration-recorder \
         --configuration-recorder name=default,roleARN=arn:aws:iam::111122223333:role/config-role \
         --recording-group allSupported=true,includeGlobalResourceTypes=true",
    );
    let rec = json(&ok(
        &mut s,
        &mut fs,
        "aws configservice describe-configuration-recorders",
    ));
    let group = &rec["ConfigurationRecorders"][0]["recordingGroup"];
    assert_eq!(group["allSupported"], true);
    assert_eq!(group["includeGlobalResourceTypes"], true);
    fs.write(
        "deliveryChannel.json",
        br#"{
    "name": "default",
    "s3BucketName": "config-bucket-111122223333",
    "configSnapshotDeliveryProperties": {
        "deliveryFrequency": "Twelve_Hours"
    }
}"#,
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws configservice put-delivery-channel --delivery-channel file://deliveryChannel.json",
    );
    ok(
        &mut s,
        &mut fs,
        "aws configservice start-configuration-recorder --configuration-recorder-name default",
    );
    let status = json(&ok(
        &mut s,
        &mut fs,
        "aws configservice describe-configuration-recorder-status",
    ));
    let st = &status["ConfigurationRecordersStatus"][0];
    assert_eq!(st["recording"], true);
    assert_eq!(st["lastStatus"], "SUCCESS");
    assert!(
        st["lastStartTime"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-22T")
    );

    // An unencrypted volume attached to an instance.
    let vol = ok(
        &mut s,
        &mut fs,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text",
    );
    let vol = vol.trim();
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 wait volume-available --volume-ids {vol}"),
    );
    let iid = ok(
        &mut s,
        &mut fs,
        "aws ec2 run-instances --image-id ami-0abc --min-count 1 --max-count 1 --query Instances[0].InstanceId --output text",
    );
    let iid = iid.trim();
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 attach-volume --volume-id {vol} --instance-id {iid} --device /dev/sdf"),
    );

    fs.write(
        "encryptedVolumes.json",
        br#"{
    "ConfigRuleName": "encrypted-volumes",
    "Description": "Checks whether attached EBS volumes are encrypted.",
    "Scope": {
        "ComplianceResourceTypes": ["AWS::EC2::Volume"]
    },
    "Source": {
        "Owner": "AWS",
        "SourceIdentifier": "ENCRYPTED_VOLUMES"
    }
}"#,
    )
    .unwrap();
    ok(
        &mut s,
        &mut fs,
        "aws configservice put-config-rule --config-rule file://encryptedVolumes.json",
    );
    ok(
        &mut s,
        &mut fs,
        "aws configservice put-config-rule --config-rule 'ConfigRuleName=ebs-default,Source={Owner=AWS,SourceIdentifier=EC2_EBS_ENCRYPTION_BY_DEFAULT},MaximumExecutionFrequency=One_Hour'",
    );
    let rules = json(&ok(
        &mut s,
        &mut fs,
        "aws configservice describe-config-rules --config-rule-names ebs-default",
    ));
    let r = &rules["ConfigRules"][0];
    assert_eq!(
        r["Source"]["SourceIdentifier"],
        "EC2_EBS_ENCRYPTION_BY_DEFAULT"
    );
    assert_eq!(r["MaximumExecutionFrequency"], "One_Hour");
    assert_eq!(r["ConfigRuleState"], "ACTIVE");

    let details = json(&ok(
        &mut s,
        &mut fs,
        "aws configservice get-compliance-details-by-config-rule --config-rule-name encrypted-volumes --compliance-types NON_COMPLIANT",
    ));
    let results = details["EvaluationResults"].as_array().unwrap();
    let mine = results
        .iter()
        .find(|r| r["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"] == vol)
        .unwrap_or_else(|| panic!("{details}"));
    assert_eq!(
        mine["EvaluationResultIdentifier"]["EvaluationResultQualifier"],
        json!({ "ConfigRuleName": "encrypted-volumes", "ResourceType": "AWS::EC2::Volume",
                "ResourceId": vol, "EvaluationMode": "DETECTIVE" })
    );
    assert_eq!(mine["ComplianceType"], "NON_COMPLIANT");
    // Timestamps print as ISO 8601, as the aws-cli prints them.
    for member in ["ResultRecordedTime", "ConfigRuleInvokedTime"] {
        assert!(
            mine[member].as_str().unwrap().starts_with("2026-11-22T"),
            "{member}: {mine}"
        );
    }
    assert!(
        mine["EvaluationResultIdentifier"]["OrderingTimestamp"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-22T")
    );
    let text = ok(
        &mut s,
        &mut fs,
        "aws configservice describe-compliance-by-config-rule --query ComplianceByConfigRules[].[ConfigRuleName,Compliance.ComplianceType] --output text",
    );
    assert_eq!(
        text,
        "ebs-default\tNON_COMPLIANT\nencrypted-volumes\tNON_COMPLIANT\n"
    );

    let table = ok(
        &mut s,
        &mut fs,
        "aws configservice get-compliance-details-by-config-rule --config-rule-name encrypted-volumes --output table",
    );
    assert!(
        table.contains("GetComplianceDetailsByConfigRule"),
        "{table}"
    );
    assert!(table.contains("NON_COMPLIANT"), "{table}");
    let help = ok(
        &mut s,
        &mut fs,
        "aws configservice put-configuration-recorder help",
    );
    assert!(help.contains("--recording-group"), "{help}");
    // The fix: detach and delete the volume, encryption by default on, evaluate on demand.
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 detach-volume --volume-id {vol}"),
    );
    ok(
        &mut s,
        &mut fs,
        &format!("aws ec2 delete-volume --volume-id {vol}"),
    );
    ok(&mut s, &mut fs, "aws ec2 enable-ebs-encryption-by-default");
    ok(
        &mut s,
        &mut fs,
        "aws configservice start-config-rules-evaluation --config-rule-names ebs-default",
    );
    let out = ok(
        &mut s,
        &mut fs,
        "aws configservice describe-compliance-by-config-rule --config-rule-names ebs-default --query ComplianceByConfigRules[0].Compliance.ComplianceType --output text",
    );
    assert_eq!(out, "COMPLIANT\n");
}

#[test]
fn an_unknown_source_identifier_is_aws_s_error() {
    let (mut s, mut fs) = session();
    ok(
        &mut s,
        &mut fs,
        "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::111122223333:role/config-role",
    );
    let out = s.run_line(
        "aws configservice put-config-rule --config-rule 'ConfigRuleName=x,Source={Owner=AWS,SourceIdentifier=NOT_A_RULE}'",
        &mut fs,
    );
    assert_eq!(out.exit_code, 254, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(
            "An error occurred (InvalidParameterValueException) when calling the PutConfigRule operation: The sourceIdentifier NOT_A_RULE is invalid."
        ),
        "{}",
        out.stderr
    );
    let out = s.run_line(
        "aws configservice start-configuration-recorder --configuration-recorder-name default",
        &mut fs,
    );
    assert!(
        out.stderr.contains("NoAvailableDeliveryChannelException"),
        "{}",
        out.stderr
    );
}
