//! Documented values the suite does not compare, each with the reason: values the documentation
//! took from a resource set up differently from the example's own command, values AWS chooses per
//! account or that changed since the example was written, and members AWS returns only in a state
//! the example does not reach. (The data's own `errata` cover mistakes in the documentation text.)

/// `(example, dotted path without list indices, reason)`.
const EXEMPT: &[(&str, &str, &str)] = &[
    (
        "kms/list-aliases#1",
        "Aliases.TargetKeyId",
        "absent: a predefined alias of an AWS managed key has no TargetKeyId until the service \
         first uses the key (ListAliases reference); the documented account had used DynamoDB and EBS",
    ),
    (
        "kms/list-grants#1",
        "Grants.GranteePrincipal",
        "the documented grant is DynamoDB's; the set-up's grant names a role (the data's adaptation)",
    ),
    (
        "kms/list-grants#1",
        "Grants.RetiringPrincipal",
        "the documented grant is DynamoDB's; the set-up's grant names a role (the data's adaptation)",
    ),
    (
        "kms/list-keys#1",
        "Keys",
        "the documented account holds a third key; the set-up creates two",
    ),
    (
        "kms/put-key-policy#2",
        "Statement.Action",
        "the documentation abbreviates the example's own key_policy.json (kms:DescribeKey, \
         kms:ListKeys) as kms:Describe, kms:List",
    ),
    (
        "s3api/copy-object#1",
        "VersionId",
        "absent: S3 returns a VersionId only for a bucket whose versioning is or was enabled; the \
         example's bucket never had versioning",
    ),
    (
        "s3api/head-object#1",
        "VersionId",
        "absent: S3 returns a VersionId only for a bucket whose versioning is or was enabled; the \
         example's bucket never had versioning",
    ),
    (
        "s3api/head-object#1",
        "ContentLength",
        "the documented index.html is 77 bytes; the example's own file is 32",
    ),
    (
        "ec2/create-volume#3",
        "Size",
        "the documented snapshot was of a 500 GiB volume; the set-up's is of 80 GiB (a volume from \
         a snapshot without --size takes the snapshot's size)",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.PreferredBackupWindow",
        "AWS picks the window at random within the Region's block",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.PreferredMaintenanceWindow",
        "AWS picks the window at random within the Region's block",
    ),
    (
        "rds/restore-db-instance-from-db-snapshot#1",
        "DBInstance.PreferredMaintenanceWindow",
        "AWS picks the window at random within the Region's block",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.EngineVersion",
        ENGINE_VERSION,
    ),
    (
        "rds/restore-db-instance-from-db-snapshot#1",
        "DBInstance.EngineVersion",
        ENGINE_VERSION,
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.EngineVersion",
        ENGINE_VERSION,
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.EngineVersion",
        ENGINE_VERSION,
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.DBParameterGroups.DBParameterGroupName",
        "the default parameter group follows the engine version (default.mysql8.0 today)",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.OptionGroupMemberships.OptionGroupName",
        "the default option group follows the engine version (default:mysql-8-0 today)",
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.OptionGroupName",
        "the default option group follows the engine version (default:mysql-8-0 today)",
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.OptionGroupName",
        "the default option group follows the engine version (default:mysql-8-0 today)",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.StorageType",
        "CreateDBInstance's default storage type is gp3 today (the model: 'Default: io1, if the \
         Iops parameter is specified. Otherwise, gp3'); the example predates it",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.CACertificateIdentifier",
        "RDS's default CA is rds-ca-rsa2048-g1 since rds-ca-2019 expired in 2024",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.DBSubnetGroup.Subnets",
        "the default subnet group has one subnet per Availability Zone: four in the documented \
         us-west-2, six in the lab's us-east-1",
    ),
    (
        "rds/create-db-instance#1",
        "DBInstance.DBSubnetGroup.Subnets.SubnetAvailabilityZone.Name",
        "Availability Zones of the documented Region (us-west-2)",
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.AllocatedStorage",
        DOC_INSTANCE_STORAGE,
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.AllocatedStorage",
        DOC_INSTANCE_STORAGE,
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.StorageType",
        DOC_INSTANCE_IO1,
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.StorageType",
        DOC_INSTANCE_IO1,
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.Iops",
        DOC_INSTANCE_IO1,
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.Iops",
        DOC_INSTANCE_IO1,
    ),
    (
        "rds/create-db-snapshot#1",
        "DBSnapshot.AvailabilityZone",
        "AWS picks the instance's Availability Zone",
    ),
    (
        "rds/copy-db-snapshot#1",
        "DBSnapshot.AvailabilityZone",
        "AWS picks the instance's Availability Zone",
    ),
    (
        "rds/describe-db-snapshot-attributes#1",
        "DBSnapshotAttributesResult.DBSnapshotAttributes.AttributeValues",
        "the documented snapshot is shared with two accounts; the set-up shares it with one",
    ),
];

const ENGINE_VERSION: &str =
    "AWS's default MySQL version moves with time (8.0 today; the example shows 5.6/5.7)";
const DOC_INSTANCE_STORAGE: &str =
    "the documented instance has 100 GiB; the set-up's has the example's --allocated-storage 20";
const DOC_INSTANCE_IO1: &str = "the documented instance used io1 storage with 1000 IOPS; the \
     set-up's uses the default (gp3, at its 3000 IOPS baseline)";

/// Examples the data marked out of scope when it was extracted that the lab models since, each
/// with what changed: they run as in-scope examples.
const NOW_IN_SCOPE: &[(&str, &str)] = &[(
    "kms/create-key#4",
    "ML-DSA key specs (ML_DSA_44/65/87) are modelled since the data was extracted",
)];

/// Whether an example marked out of scope in the data is modelled now.
pub fn now_in_scope(case: &str) -> bool {
    NOW_IN_SCOPE.iter().any(|(c, _)| *c == case)
}

/// Why the documented value at `path` (dotted, no list indices) of example `case` is not
/// compared, if it is not.
pub fn exempt(case: &str, path: &str) -> Option<&'static str> {
    EXEMPT
        .iter()
        .find(|(c, p, _)| *c == case && *p == path)
        .map(|(_, _, why)| *why)
}
