//! What an RDS DB instance is configured with beyond its identity and encryption: engine
//! version, storage type and performance, network placement, backups and maintenance windows,
//! with RDS's defaults per engine (the CreateDBInstance reference), and the account's default
//! VPC that every instance of the lab lives in.

use serde::{Deserialize, Serialize};

use super::RdsError;
use super::model::{
    AvailabilityZone, DBParameterGroupStatus, DBSubnetGroup, OptionGroupMembership, Subnet, Tag,
    VpcSecurityGroupMembership,
};

/// RDS's default server certificate CA since rds-ca-2019 expired (2024).
pub(crate) const DEFAULT_CA: &str = "rds-ca-rsa2048-g1";

/// How long a new instance stays `creating` on the simulated clock.
pub(crate) const INSTANCE_CREATING_MS: i64 = 10 * 60_000;

/// How long a new snapshot (or copy) stays `creating` on the simulated clock.
pub(crate) const SNAPSHOT_CREATING_MS: i64 = 5 * 60_000;

/// An instance's settings, fixed at creation (snapshots keep a copy of their instance's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Settings {
    pub engine_version: String,
    pub storage_type: String,
    pub iops: Option<u32>,
    pub storage_throughput: Option<u32>,
    pub port: u16,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    /// `db-…`: the Region-unique resource id.
    pub dbi_resource_id: String,
    pub availability_zone: String,
    pub backup_retention_period: u32,
    pub preferred_backup_window: String,
    pub preferred_maintenance_window: String,
    pub db_name: Option<String>,
    pub deletion_protection: bool,
    pub copy_tags_to_snapshot: bool,
    pub iam_database_authentication: bool,
    pub auto_minor_version_upgrade: bool,
    pub license_model: String,
    pub tags: Vec<(String, String)>,
}

/// An engine's defaults: (version, port, license model).
fn engine_defaults(engine: &str) -> (&'static str, u16, &'static str) {
    match engine {
        "mysql" => ("8.0.41", 3306, "general-public-license"),
        "mariadb" => ("10.11.11", 3306, "general-public-license"),
        "postgres" => ("17.4", 5432, "postgresql-license"),
        "oracle-ee" | "oracle-ee-cdb" => {
            ("19.0.0.0.ru-2025-01.rur-2025-01.r1", 1521, "bring-your-own-license")
        }
        "oracle-se2" | "oracle-se2-cdb" => {
            ("19.0.0.0.ru-2025-01.rur-2025-01.r1", 1521, "license-included")
        }
        e if e.starts_with("sqlserver") => ("16.00.4175.1.v1", 1433, "license-included"),
        "db2-se" | "db2-ae" => ("11.5.9.0.sb00000000.r1", 50000, "bring-your-own-license"),
        _ => ("8.0.41", 3306, "general-public-license"),
    }
}

/// The engine family's major version as RDS names parameter and option groups: `8.0` for MySQL
/// 8.0.41, `17` for PostgreSQL 17.4, `19` for Oracle, `16.0` for SQL Server.
fn major(engine: &str, version: &str) -> String {
    let mut parts = version.split('.');
    let first = parts.next().unwrap_or_default();
    match engine {
        "postgres" => first.to_owned(),
        e if e.starts_with("oracle") || e.starts_with("db2") => first.to_owned(),
        _ => format!("{first}.{}", parts.next().unwrap_or("0")),
    }
}

impl Settings {
    /// The settings of an instance saved before the lab modelled them: the engine's defaults.
    pub(crate) fn legacy(engine: &str, storage: u64, region: &str) -> Settings {
        let (version, port, license) = engine_defaults(engine);
        let (iops, throughput) = gp3_baseline(engine, storage);
        Settings {
            engine_version: version.to_owned(),
            storage_type: "gp3".into(),
            iops: Some(iops),
            storage_throughput: Some(throughput),
            port,
            multi_az: false,
            publicly_accessible: true,
            dbi_resource_id: String::new(),
            availability_zone: format!("{region}a"),
            backup_retention_period: 1,
            preferred_backup_window: "03:00-03:30".into(),
            preferred_maintenance_window: "sun:05:00-sun:05:30".into(),
            db_name: None,
            deletion_protection: false,
            copy_tags_to_snapshot: false,
            iam_database_authentication: false,
            auto_minor_version_upgrade: true,
            license_model: license.to_owned(),
            tags: Vec::new(),
        }
    }

    /// The default parameter group (`default.mysql8.0`).
    pub(crate) fn parameter_group(&self, engine: &str) -> String {
        format!("default.{engine}{}", major(engine, &self.engine_version))
    }

    /// The default option group (`default:mysql-8-0`).
    pub(crate) fn option_group(&self, engine: &str) -> String {
        format!(
            "default:{engine}-{}",
            major(engine, &self.engine_version).replace('.', "-")
        )
    }

    pub(crate) fn parameter_groups(&self, engine: &str) -> Vec<DBParameterGroupStatus> {
        vec![DBParameterGroupStatus {
            db_parameter_group_name: self.parameter_group(engine),
            parameter_apply_status: "in-sync".into(),
        }]
    }

    pub(crate) fn option_groups(&self, engine: &str) -> Vec<OptionGroupMembership> {
        vec![OptionGroupMembership {
            option_group_name: self.option_group(engine),
            status: "in-sync".into(),
        }]
    }

    pub(crate) fn tag_list(&self) -> Vec<Tag> {
        self.tags
            .iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: v.clone(),
            })
            .collect()
    }
}

/// gp3's included performance: 3,000 IOPS and 125 MiB/s, or 12,000 and 500 MiB/s from 400 GiB
/// (200 GiB for Oracle; SQL Server always the first).
fn gp3_baseline(engine: &str, storage: u64) -> (u32, u32) {
    let threshold = if engine.starts_with("oracle") { 200 } else { 400 };
    if !engine.starts_with("sqlserver") && storage >= threshold {
        (12_000, 500)
    } else {
        (3_000, 125)
    }
}

/// Storage type, IOPS and throughput as RDS settles them: the type defaults to gp3 (io1 when
/// IOPS are given); io1/io2 need IOPS; gp3 takes IOPS and throughput only from its threshold.
pub(crate) fn storage(
    engine: &str,
    storage_type: Option<&str>,
    allocated: u64,
    iops: Option<u32>,
    throughput: Option<u32>,
) -> Result<(String, Option<u32>, Option<u32>), RdsError> {
    let kind = storage_type.unwrap_or(if iops.is_some() { "io1" } else { "gp3" });
    let combination = |m: String| RdsError::InvalidParameterCombination(m);
    let min = match kind {
        "gp2" | "gp3" => 20,
        "io1" | "io2" => 100,
        "standard" => 5,
        other => {
            return Err(RdsError::InvalidParameterValue(format!(
                "Invalid storage type: {other}"
            )));
        }
    };
    if allocated < min || allocated > 65_536 {
        return Err(combination(format!(
            "Invalid storage size for engine name {engine} and storage type {kind}: {allocated}"
        )));
    }
    match kind {
        "io1" | "io2" => {
            let Some(n) = iops else {
                return Err(combination(format!(
                    "Iops must be specified for storage type {kind}"
                )));
            };
            if throughput.is_some() {
                return Err(combination(format!(
                    "You can't specify storage throughput for storage type {kind}."
                )));
            }
            Ok((kind.to_owned(), Some(n), None))
        }
        "gp3" => {
            let (base_iops, base_throughput) = gp3_baseline(engine, allocated);
            if (iops.is_some() || throughput.is_some()) && base_iops == 3_000 {
                return Err(combination(format!(
                    "You can't specify IOPS or storage throughput for engine {engine} and a storage size less than 400."
                )));
            }
            Ok((
                kind.to_owned(),
                Some(iops.unwrap_or(base_iops)),
                Some(throughput.unwrap_or(base_throughput)),
            ))
        }
        _ => {
            if iops.is_some() || throughput.is_some() {
                return Err(combination(format!(
                    "You can't specify IOPS or storage throughput for storage type {kind}."
                )));
            }
            Ok((kind.to_owned(), None, None))
        }
    }
}

/// The engine defaults for a new instance: (version, port, license model).
pub(crate) fn defaults(engine: &str) -> (String, u16, String) {
    let (v, p, l) = engine_defaults(engine);
    (v.to_owned(), p, l.to_owned())
}

/// A stable id of `len` hex digits from `parts` (the account's default VPC, subnets and
/// security group keep their ids without being stored).
fn stable_hex(parts: &[&str], len: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    let mut round = 0u8;
    while out.len() < len {
        for p in parts {
            for b in p.bytes().chain([0, round]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        out.push_str(&format!("{h:016x}"));
        round = round.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// The Availability Zones of a Region as the lab lists them.
pub(crate) fn zones(region: &str) -> Vec<String> {
    let n = match region {
        "us-east-1" => 6,
        "us-west-2" => 4,
        _ => 3,
    };
    (b'a'..b'a' + n)
        .map(|c| format!("{region}{}", char::from(c)))
        .collect()
}

/// The default VPC of an account in a Region.
pub(crate) fn default_vpc(account: &str, region: &str) -> String {
    format!("vpc-{}", stable_hex(&[account, region, "vpc"], 17))
}

/// The default VPC's default security group.
pub(crate) fn default_security_group(account: &str, region: &str) -> VpcSecurityGroupMembership {
    VpcSecurityGroupMembership {
        vpc_security_group_id: format!("sg-{}", stable_hex(&[account, region, "sg"], 17)),
        status: "active".into(),
    }
}

/// The `default` DB subnet group: one subnet of the default VPC per zone.
pub(crate) fn default_subnet_group(account: &str, region: &str) -> DBSubnetGroup {
    DBSubnetGroup {
        db_subnet_group_name: "default".into(),
        db_subnet_group_description: "default".into(),
        vpc_id: default_vpc(account, region),
        subnet_group_status: "Complete".into(),
        subnets: zones(region)
            .into_iter()
            .map(|z| Subnet {
                subnet_identifier: format!("subnet-{}", stable_hex(&[account, &z], 17)),
                subnet_availability_zone: AvailabilityZone { name: z },
                subnet_status: "Active".into(),
            })
            .collect(),
    }
}

/// A window of 30 minutes starting at `minute` of the week (`ddd:hh:mi-ddd:hh:mi`) or of the
/// day (`hh:mi-hh:mi`).
pub(crate) fn window(minute: u32, weekly: bool) -> String {
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let fmt = |m: u32| {
        let day = DAYS[usize::try_from(m / 1440 % 7).unwrap_or(0)];
        let (h, mi) = (m % 1440 / 60, m % 60);
        if weekly {
            format!("{day}:{h:02}:{mi:02}")
        } else {
            format!("{h:02}:{mi:02}")
        }
    };
    let span = if weekly { 7 * 1440 } else { 1440 };
    format!("{}-{}", fmt(minute % span), fmt((minute + 30) % span))
}
