//! `aws configure set|get|list-profiles`, and `aws configure list` as aws-cli v2 prints it (`awscli/customizations/configure/list.py`):
//! every row is `'%10s %24s %16s    %s'` of (name, value, type, location), for `profile`,
//! `access_key`, `secret_key` and `region`, keys masked to their last four characters.

use super::{Out, Session};
use crate::aws::Globals;
use crate::error::CliError;

/// aws-cli's `ConfigValue` for a value it did not find.
const NOT_SET: (&str, &str, &str) = ("<not set>", "None", "None");

fn row(name: &str, value: &str, kind: &str, location: &str) -> String {
    format!("{name:>10} {value:>24} {kind:>16}    {location}\n")
}

/// `'*' * 16 + value[-4:]`.
fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let tail: String = chars
        .get(chars.len().saturating_sub(4)..)
        .unwrap_or_default()
        .iter()
        .collect();
    format!("{}{tail}", "*".repeat(16))
}

/// The lab's credentials have no secret key; the last four characters shown stand for one,
/// derived from the access key so they stay the same for the same key.
fn secret_tail(access_key: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in access_key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..4)
        .map(|i| {
            let idx = usize::try_from((h >> (i * 6)) & 63).unwrap_or(0);
            char::from(ALPHABET.get(idx).copied().unwrap_or(b'A'))
        })
        .collect()
}

impl Session {
    /// `aws configure set KEY VALUE`: what the world models (`region`, `role_arn`,
    /// `source_profile`) goes to the world; every other key is stored as aws-cli stores it in
    /// `~/.aws/config` (`output` and `cli_binary_format` take effect, `cli_pager` and the rest
    /// are kept for `aws configure get`).
    pub(super) fn configure_set(&mut self, profile: &str, key: String, value: String) -> Out {
        if !matches!(key.as_str(), "region" | "role_arn" | "source_profile") {
            if key == "output" || key == "cli_binary_format" {
                return self.configure_cli_setting(profile, key, value);
            }
            self.cli_config
                .entry(profile.to_owned())
                .or_default()
                .insert(key, value);
            return Out::default();
        }
        match self.world.configure_set(profile, &key, &value) {
            Ok(()) => Out::default(),
            Err(e) => Out::err(&CliError::Config(e.message)),
        }
    }

    /// `output` and `cli_binary_format`, which the lab applies: checked when set.
    fn configure_cli_setting(&mut self, profile: &str, key: String, value: String) -> Out {
        let valid: &[&str] = if key == "output" {
            &["json", "text", "table", "yaml", "yaml-stream", "off"]
        } else {
            &["base64", "raw-in-base64-out"]
        };
        if !valid.contains(&value.as_str()) {
            return Out::err(&CliError::Config(format!(
                "`{value}` is not a valid {key}; use one of: {}",
                valid.join(", ")
            )));
        }
        self.cli_config
            .entry(profile.to_owned())
            .or_default()
            .insert(key, value);
        Out::default()
    }

    /// `aws configure get KEY`: exit 1 with no output when the key is not set.
    pub(super) fn configure_get(&self, profile: &str, key: &str) -> Out {
        if let Some(v) = self.cli_config.get(profile).and_then(|m| m.get(key)) {
            return Out::text(format!("{v}\n"));
        }
        let info = self
            .world
            .profiles()
            .into_iter()
            .find(|p| p.name == profile);
        let v = info.and_then(|p| match key {
            "region" => Some(p.region),
            "role_arn" => p.role_arn,
            "source_profile" => p.source_profile,
            _ => None,
        });
        match v {
            Some(v) => Out::text(format!("{v}\n")),
            None => Out {
                code: 1,
                ..Out::default()
            },
        }
    }

    /// `aws configure list-profiles`.
    pub(super) fn list_profiles(&self) -> Out {
        Out::text(
            self.world
                .profiles()
                .into_iter()
                .map(|p| p.name + "\n")
                .collect::<String>(),
        )
    }

    pub(super) fn configure_list(&mut self, g: &Globals) -> Out {
        let name = g
            .profile
            .clone()
            .unwrap_or_else(|| self.world.default_profile().to_owned());
        let Some(p) = self.world.profiles().into_iter().find(|p| p.name == name) else {
            return Out::err(&CliError::Config(format!(
                "\nThe config profile ({name}) could not be found\n"
            )));
        };
        let mut s = row("Name", "Value", "Type", "Location");
        s.push_str(&row("----", "-----", "----", "--------"));
        // `--profile` is "manual"; the lab's default profile plays the part of AWS_PROFILE.
        if g.profile.is_some() {
            s.push_str(&row("profile", &name, "manual", "--profile"));
        } else {
            s.push_str(&row(
                "profile",
                &name,
                "env",
                "['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']",
            ));
        }
        // The credentials the profile resolves to, on a copy of the world (a role profile's
        // AssumeRole must not leave an event or a cached session behind).
        let mut scratch = self.world.clone();
        let key = scratch
            .context_for_profile(Some(&name), g.region.as_deref())
            .ok()
            .map(|ctx| ctx.access_key_id)
            .filter(|k| !k.is_empty());
        match key {
            Some(k) => {
                // Long-term keys live in ~/.aws/credentials; a role's come from AssumeRole.
                let method = if p.role_arn.is_some() {
                    "assume-role"
                } else {
                    "shared-credentials-file"
                };
                s.push_str(&row("access_key", &mask(&k), method, ""));
                s.push_str(&row("secret_key", &mask(&secret_tail(&k)), method, ""));
            }
            None => {
                let (v, t, l) = NOT_SET;
                s.push_str(&row("access_key", v, t, l));
                s.push_str(&row("secret_key", v, t, l));
            }
        }
        s.push_str(&row("region", &p.region, "config-file", "~/.aws/config"));
        Out::text(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_aws_cli() {
        assert_eq!(mask("AKIAIOSFODNN7EXAMPLE"), "****************MPLE");
        assert_eq!(mask("ab"), "****************ab");
        assert_eq!(secret_tail("AKIA1").chars().count(), 4);
        assert_eq!(secret_tail("AKIA1"), secret_tail("AKIA1"));
    }
}
