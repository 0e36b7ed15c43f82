//! Embedding in study sites (`#/embed/…` views in an `<iframe>` on another origin).
//!
//! - [`Context`]: read once from the page's address: whether the page opened on an embed view,
//!   its storage instance (`?instance=NAME`, else derived from the route) and a forced theme
//!   (`?theme=light|dark`).
//! - Each instance keeps its world under its own storage keys ([`crate::storage`] asks
//!   [`Context::namespace`]), so two embeds on one page never overwrite each other, nor the full
//!   lab's world, and an embed never reads the full lab's world.
//! - [`protocol`]: the versioned postMessage protocol (README, "Embedding").
//! - [`view`]: the compact embed layout.

use std::sync::OnceLock;

pub mod protocol;
pub mod view;

/// What the page's address says about embedding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The page opened on an `#/embed/…` view.
    pub embedded: bool,
    /// The storage instance (`None`: the full lab's own world).
    pub instance: Option<String>,
    /// `light` or `dark` when the page forces a theme.
    pub theme: Option<&'static str>,
}

/// Keeps letters, digits, `-`, `_` and `.` (at most 64): an instance name that is safe as part
/// of a storage key.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect()
}

impl Context {
    /// Reads a page address: `search` (`?instance=…&theme=…`) and `hash` (`#/embed/…`).
    pub fn parse(search: &str, hash: &str) -> Context {
        let param = |name: &str| {
            search
                .trim_start_matches('?')
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| js_decode(v))
        };
        let route = hash.trim_start_matches('#');
        let route = route.split('?').next().unwrap_or_default();
        let embedded = route.starts_with("/embed/");
        let instance = match param("instance")
            .map(|v| clean(&v))
            .filter(|v| !v.is_empty())
        {
            Some(name) => Some(name),
            // By default an embed's world is its view's own: `/embed/scenario/key-rotation`.
            None if embedded => Some(clean(route.trim_start_matches("/embed/"))),
            None => None,
        };
        let theme = match param("theme").as_deref() {
            Some("light") => Some("light"),
            Some("dark") => Some("dark"),
            _ => None,
        };
        Context {
            embedded,
            instance,
            theme,
        }
    }

    /// The prefix of every storage key this page uses: `kmslab.` for the full lab,
    /// `kmslab.embed.NAME.` for an instance.
    pub fn namespace(&self) -> String {
        match &self.instance {
            Some(name) => format!("kmslab.embed.{name}."),
            None => "kmslab.".to_owned(),
        }
    }
}

/// `%XX` and `+` decoding of a query value (invalid escapes are kept as they are).
fn js_decode(v: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'+', ..) => out.push(b' '),
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 2;
            }
            (b, ..) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's embedding context, read from its address the first time it is asked.
pub fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let location = web_sys::window().map(|w| w.location());
        let search = location
            .as_ref()
            .and_then(|l| l.search().ok())
            .unwrap_or_default();
        let hash = location
            .as_ref()
            .and_then(|l| l.hash().ok())
            .unwrap_or_default();
        Context::parse(&search, &hash)
    })
}

/// Applies a forced theme to the document (`<html data-theme=…>`).
pub fn apply_theme() {
    if let Some(theme) = context().theme
        && let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_lab_keeps_its_own_keys() {
        let c = Context::parse("", "#/kms/keys");
        assert!(!c.embedded);
        assert_eq!(c.namespace(), "kmslab.");
    }

    #[test]
    fn an_embed_defaults_to_its_route_and_never_shares_the_full_labs_keys() {
        let c = Context::parse("", "#/embed/scenario/key-rotation");
        assert!(c.embedded);
        assert_eq!(c.namespace(), "kmslab.embed.scenario-key-rotation.");
        let named = Context::parse("?instance=course%201&theme=dark", "#/embed/terminal");
        assert_eq!(named.namespace(), "kmslab.embed.course-1.");
        assert_eq!(named.theme, Some("dark"));
        // Nothing an instance name holds can reach another namespace.
        let sneaky = Context::parse("?instance=..%2F..%2Fstate", "#/embed/terminal");
        assert!(sneaky.namespace().starts_with("kmslab.embed."));
        assert!(!sneaky.namespace().contains('/'));
        assert_eq!(Context::parse("?theme=purple", "#/").theme, None);
        assert_eq!(js_decode("a%2"), "a%2");
        assert_eq!(js_decode("%e2%9c%93+x"), "✓ x");
    }
}
