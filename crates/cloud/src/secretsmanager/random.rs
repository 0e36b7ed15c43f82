//! `GetRandomPassword`: passwords from the world's randomness.

use super::auth::authorize;
use super::secret::invalid;
use super::SecretsManagerError;
use super::model::{GetRandomPasswordRequest, GetRandomPasswordResponse};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

type Result<T> = std::result::Result<T, SecretsManagerError>;

const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

pub(super) fn random_password(
    world: &mut World,
    ctx: &CallContext,
    r: &GetRandomPasswordRequest,
    audit: &mut CallAudit,
) -> Result<GetRandomPasswordResponse> {
    authorize(
        world,
        ctx,
        "GetRandomPassword",
        "*",
        &ctx.account,
        None,
        audit,
    )?;
    let length = r.password_length.unwrap_or(32);
    if length < 1 {
        return Err(SecretsManagerError::ValidationException(format!(
            "1 validation error detected: Value '{length}' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    if length > 4096 {
        return Err(SecretsManagerError::ValidationException(format!(
            "1 validation error detected: Value '{length}' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096"
        )));
    }
    let length = usize::try_from(length).unwrap_or(32);
    let excluded = r.exclude_characters.clone().unwrap_or_default();
    let keep = |set: &str| -> Vec<char> { set.chars().filter(|c| !excluded.contains(*c)).collect() };
    let mut classes: Vec<Vec<char>> = Vec::new();
    if r.exclude_lowercase != Some(true) {
        classes.push(keep("abcdefghijklmnopqrstuvwxyz"));
    }
    if r.exclude_uppercase != Some(true) {
        classes.push(keep("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }
    if r.exclude_numbers != Some(true) {
        classes.push(keep("0123456789"));
    }
    if r.exclude_punctuation != Some(true) {
        classes.push(keep(PUNCTUATION));
    }
    if r.include_space == Some(true) {
        classes.push(keep(" "));
    }
    classes.retain(|c| !c.is_empty());
    let pool: Vec<char> = classes.iter().flatten().copied().collect();
    if pool.is_empty() {
        return Err(invalid(
            "The password can't be generated: every character type is excluded.",
        ));
    }
    let require = r.require_each_included_type != Some(false);
    if require && length < classes.len() {
        return Err(invalid(format!(
            "The password length {length} is too short to include a character of each of the {} included types.",
            classes.len()
        )));
    }
    let mut pick = |set: &[char]| -> char {
        let n = u32::from_be_bytes(world.rng.array());
        let len = u32::try_from(set.len()).unwrap_or(1);
        set.get(usize::try_from(n % len).unwrap_or(0)).copied().unwrap_or('x')
    };
    let mut chars: Vec<char> = Vec::with_capacity(length);
    if require {
        for c in &classes {
            chars.push(pick(c));
        }
    }
    while chars.len() < length {
        chars.push(pick(&pool));
    }
    // Shuffle so the required characters are not always first.
    for i in (1..chars.len()).rev() {
        let n = u32::from_be_bytes(world.rng.array());
        let j = usize::try_from(n).unwrap_or(0) % (i + 1);
        chars.swap(i, j);
    }
    Ok(GetRandomPasswordResponse {
        random_password: chars.into_iter().collect(),
    })
}
