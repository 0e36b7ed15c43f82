//! What a customer managed key's state does to a table, evaluated lazily on the world's clock
//! whenever DynamoDB is called.
//!
//! DynamoDB notices that a table's KMS key is unusable (disabled, pending deletion, deleted)
//! within minutes — the lab: [`DETECTION_MS`] after the key changed, the change read from the
//! key's CloudTrail events (`DisableKey`, `ScheduleKeyDeletion`, `DeleteKey`; the time of the
//! call when the trail no longer has them) — and the table is then
//! `INACCESSIBLE_ENCRYPTION_CREDENTIALS` with `InaccessibleEncryptionDateTime` the detection
//! time. Once the key is usable again the table is `ACTIVE`. Seven days after detection
//! ([`ARCHIVE_AFTER_MS`]) DynamoDB archives the table: a `SYSTEM` backup holds its items, the
//! table is `ARCHIVING` for [`ARCHIVING_MS`] (a lab choice), then `ARCHIVED`, and stays so even
//! if the key comes back (restore the backup to get the data back).

use super::{Archival, Backup, DynamoDb, Encryption, Table};
use crate::cloudtrail::StoredEvent;
use crate::env::DAY_MS;
use crate::kms::{KeyState, Kms};

/// How long after a key became unusable DynamoDB notices (the lab's "within minutes").
pub const DETECTION_MS: i64 = 5 * 60_000;
/// How long a table stays inaccessible before DynamoDB archives it.
pub const ARCHIVE_AFTER_MS: i64 = 7 * DAY_MS;
/// How long archiving takes in the lab.
pub const ARCHIVING_MS: i64 = 30 * 60_000;

/// A table's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Active,
    Inaccessible,
    Archiving,
    Archived,
}

impl Status {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inaccessible => "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
            Self::Archiving => "ARCHIVING",
            Self::Archived => "ARCHIVED",
        }
    }
}

/// The status of `t` at `now` (after [`refresh`]).
pub(crate) fn status(t: &Table, now: i64) -> Status {
    match (&t.archival, t.inaccessible_ms) {
        (Some(a), _) if now < a.started_ms + ARCHIVING_MS => Status::Archiving,
        (Some(_), _) => Status::Archived,
        (None, Some(_)) => Status::Inaccessible,
        (None, None) => Status::Active,
    }
}

/// The key events after which a key cannot be used.
const UNUSABLE: &[&str] = &["DisableKey", "ScheduleKeyDeletion", "DeleteKey"];

/// Whether the KMS key `arn` can be used for cryptography now.
fn usable(kms: &Kms, arn: &str) -> bool {
    let Some((region, id)) = parse_key_arn(arn) else {
        return false;
    };
    kms.find(id, region)
        .is_some_and(|k| k.state == KeyState::Enabled)
}

/// `arn:aws:kms:REGION:ACCOUNT:key/ID` → `(REGION, ID)`.
fn parse_key_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let region = parts.nth(3)?;
    let id = parts.nth(1)?.strip_prefix("key/")?;
    Some((region, id))
}

/// The times of the successful KMS events named one of `names` about key `arn`.
fn event_times<'a>(
    events: impl Iterator<Item = &'a StoredEvent>,
    arn: &'a str,
    names: &'a [&'a str],
) -> impl Iterator<Item = i64> {
    let id = parse_key_arn(arn).map(|(_, id)| id).unwrap_or_default();
    events
        .filter(|e| e.event_source == "kms.amazonaws.com" && e.error_code.is_none())
        .filter(move |e| names.contains(&e.event_name.as_str()))
        .filter(move |e| {
            let r = &e.record;
            let named = r["requestParameters"]["keyId"]
                .as_str()
                .is_some_and(|k| k == arn || k == id);
            let listed = r["resources"]
                .as_array()
                .is_some_and(|rs| rs.iter().any(|x| x["ARN"] == arn));
            named || listed
        })
        .map(|e| e.event_time_ms)
}

/// The time of the latest successful KMS event named one of `names` about key `arn`.
fn last_event<'a>(
    events: impl Iterator<Item = &'a StoredEvent>,
    arn: &'a str,
    names: &'a [&'a str],
) -> Option<i64> {
    event_times(events, arn, names).max()
}

/// When the key's current unusable period began: its first unusable event at or after `from`
/// (the latest `EnableKey`, or when the table took the key). A key scheduled for deletion and
/// then deleted has been unusable since it was scheduled, not since it was deleted.
fn unusable_since<'a>(
    events: impl Iterator<Item = &'a StoredEvent>,
    arn: &'a str,
    from: i64,
) -> Option<i64> {
    event_times(events, arn, UNUSABLE)
        .filter(|t| *t >= from)
        .min()
}

/// Brings every table's key health up to `now` (see the module doc).
pub(crate) fn refresh(world: &mut crate::World) {
    let now = world.now_ms();
    let mut archived: Vec<Backup> = Vec::new();
    let kms = &world.kms;
    let trail = &world.trail;
    let db: &mut DynamoDb = &mut world.services.dynamodb;
    for t in db.tables.values_mut() {
        let Encryption::Kms { key_arn, .. } = &t.encryption else {
            continue;
        };
        if t.archival.is_some() {
            continue;
        }
        let key_arn = key_arn.clone();
        let ok = usable(kms, &key_arn);
        let went = last_event(trail.events(), &key_arn, UNUSABLE)
            .map(|d| d.max(t.encryption_set_ms));
        let enabled = last_event(trail.events(), &key_arn, &["EnableKey"]);
        if ok {
            // Usable now: when did it come back, and had DynamoDB noticed it was gone?
            t.unusable_seen_ms = None;
            let back = enabled.unwrap_or(now);
            let noticed = t
                .inaccessible_ms
                .or_else(|| went.map(|d| d + DETECTION_MS).filter(|at| back >= *at));
            t.inaccessible_ms = noticed.filter(|at| back >= at + ARCHIVE_AFTER_MS);
        } else if t.inaccessible_ms.is_none() {
            // Since the key events that made it unusable after the latest EnableKey (older
            // ones are stale), else since DynamoDB first saw it unusable (the trail no longer
            // has the event, or the key changed without one).
            let seen = *t.unusable_seen_ms.get_or_insert(now);
            // The period's first such event counts (a deletion after a scheduling is not a
            // new start).
            let from = enabled.map_or(t.encryption_set_ms, |e| e.max(t.encryption_set_ms));
            let since = went
                .filter(|d| enabled.is_none_or(|e| *d >= e))
                .map(|latest| {
                    unusable_since(trail.events(), &key_arn, from)
                        .map_or(latest, |first| first.min(latest))
                })
                .unwrap_or(seen);
            let detected = since + DETECTION_MS;
            if now >= detected {
                t.inaccessible_ms = Some(detected);
            }
        }
        if let Some(at) = t.inaccessible_ms
            && now >= at + ARCHIVE_AFTER_MS
        {
            let started = at + ARCHIVE_AFTER_MS;
            let backup_arn = super::backup::backup_arn(&t.arn(), started, &t.id);
            archived.push(Backup {
                arn: backup_arn.clone(),
                name: format!("{}-archival", t.name),
                account: t.account.clone(),
                region: t.region.clone(),
                kind: "SYSTEM".into(),
                created_ms: started,
                table: t.clone(),
            });
            t.items.clear();
            t.archival = Some(Archival {
                started_ms: started,
                backup_arn,
            });
        }
    }
    for b in archived {
        db.backups.insert(b.arn.clone(), b);
    }
}
