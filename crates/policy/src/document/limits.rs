//! Size and character limits on a policy's text, which differ per service and policy type.

use serde::{Deserialize, Serialize};

use crate::error::{PolicyError, SizeUnit};

/// Size and character limits, passed by the caller because they differ per
/// service and policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Maximum size and what it counts, or `None` for no limit.
    pub max_size: Option<(usize, SizeUnit)>,
    /// Restrict characters to tab, LF, CR and U+0020–U+00FF (the KMS `PolicyType` pattern).
    pub latin1_only: bool,
}

impl Limits {
    /// No limits (used when re-reading stored policies).
    pub const fn none() -> Self {
        Self {
            max_size: None,
            latin1_only: false,
        }
    }

    /// A byte limit on the whole document.
    pub const fn bytes(max: usize) -> Self {
        Self {
            max_size: Some((max, SizeUnit::Bytes)),
            latin1_only: false,
        }
    }

    /// A limit on characters other than white space (how IAM counts).
    pub const fn non_whitespace_chars(max: usize) -> Self {
        Self {
            max_size: Some((max, SizeUnit::NonWhitespaceCharacters)),
            latin1_only: false,
        }
    }

    /// KMS key policy: 32 KB (32,768 bytes) and the `PolicyType` character set.
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html>
    pub const fn kms_key_policy() -> Self {
        Self {
            max_size: Some((32_768, SizeUnit::Bytes)),
            latin1_only: true,
        }
    }

    /// IAM inline policies of a user: 2,048 non-whitespace characters.
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>
    pub const fn iam_user_inline() -> Self {
        Self::non_whitespace_chars(2_048)
    }

    /// IAM inline policies of a role: 10,240 non-whitespace characters.
    pub const fn iam_role_inline() -> Self {
        Self::non_whitespace_chars(10_240)
    }

    /// IAM managed policies: 6,144 non-whitespace characters.
    pub const fn iam_managed() -> Self {
        Self::non_whitespace_chars(6_144)
    }

    /// Role trust policies: 2,048 non-whitespace characters (default quota).
    pub const fn iam_role_trust() -> Self {
        Self::non_whitespace_chars(2_048)
    }

    /// S3 bucket policies: 20 KB.
    pub const fn s3_bucket_policy() -> Self {
        Self::bytes(20_480)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::none()
    }
}

pub(super) fn check_limits(json: &str, limits: Limits) -> Result<(), PolicyError> {
    if limits.latin1_only
        && let Some((offset, character)) = json
            .char_indices()
            .find(|&(_, c)| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FF}'))
    {
        return Err(PolicyError::InvalidCharacter {
            character,
            code: u32::from(character),
            offset,
        });
    }
    if let Some((limit, unit)) = limits.max_size {
        let actual = match unit {
            SizeUnit::Bytes => json.len(),
            SizeUnit::NonWhitespaceCharacters => {
                json.chars().filter(|c| !c.is_whitespace()).count()
            }
        };
        if actual > limit {
            return Err(PolicyError::TooLarge {
                actual,
                limit,
                unit,
            });
        }
    }
    Ok(())
}
