//! oEmbed for every scenario (issue #15 item 4): `oembed/<id>.json` (a `rich` oEmbed response
//! whose `html` is an iframe on `#/embed/scenario/<id>`) and `s/<id>.html` (a page with the
//! discovery `<link rel="alternate" type="application/json+oembed">` that opens the scenario).
//!
//! oEmbed consumers need absolute URLs, so `--base-url` (where `index.html` is served, e.g.
//! `https://example.org/labs/kms/`) makes every URL absolute. Without it the files hold URLs
//! relative to themselves (`../#/embed/scenario/<id>`), which a page on the lab's own site can
//! use but an oEmbed consumer cannot.

use std::fs;
use std::path::Path;

use serde_json::json;

use crate::Result;
use crate::catalog::{self, Scenario, escape};

/// The iframe's size in the oEmbed response (CSS px); the embed views work from 320×480 to 1280×800.
pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 600;
pub const PROVIDER: &str = "KMS Lab";

/// Checks and normalises `--base-url`: absolute http(s), no query or fragment, ends with `/`.
pub fn normalise_base(url: &str) -> Result<String> {
    let url = url.trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or_default();
    if !scheme_ok || rest.is_empty() || rest.starts_with('/') {
        return Err(format!(
            "--base-url must be an absolute http(s) URL such as https://example.org/labs/kms/, not `{url}`"
        ));
    }
    if url.contains(['?', '#', '"', '<', '>', ' ', '\'']) {
        return Err(format!(
            "--base-url must be the directory of index.html, without query, fragment, quotes or spaces: `{url}`"
        ));
    }
    let mut base = url.to_owned();
    if base.ends_with("/index.html") {
        base.truncate(base.len() - "index.html".len());
    }
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

/// The iframe markup an oEmbed consumer pastes into its page.
fn iframe(lab: &str, s: &Scenario) -> String {
    format!(
        "<iframe src=\"{lab}#/embed/scenario/{id}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         title=\"{PROVIDER}: {title}\" style=\"border:0;max-width:100%\" loading=\"lazy\" \
         allow=\"clipboard-write\"></iframe>",
        id = s.id,
        title = escape(&s.title),
    )
}

/// The oEmbed response for one scenario.
pub fn response(lab: &str, s: &Scenario) -> serde_json::Value {
    json!({
        "version": "1.0",
        "type": "rich",
        "title": s.title,
        "provider_name": PROVIDER,
        "provider_url": lab,
        "html": iframe(lab, s),
        "width": WIDTH,
        "height": HEIGHT,
    })
}

/// The discovery page for one scenario.
pub fn page(lab: &str, absolute: bool, s: &Scenario) -> String {
    let id = &s.id;
    let title = escape(&s.title);
    let story = escape(&s.story);
    let canonical = if absolute {
        format!(
            "    <link rel=\"canonical\" href=\"{lab}s/{id}.html\" />\n    \
             <meta property=\"og:url\" content=\"{lab}s/{id}.html\" />\n"
        )
    } else {
        String::new()
    };
    format!(
        r#"<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>{title} · KMS Lab</title>
    <meta name="description" content="{story}" />
    <link rel="alternate" type="application/json+oembed" href="{lab}oembed/{id}.json" title="{title}" />
{canonical}    <meta property="og:type" content="website" />
    <meta property="og:site_name" content="{PROVIDER}" />
    <meta property="og:title" content="{title}" />
    <meta property="og:description" content="{story}" />
    <style>
      body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 2rem 1rem; }}
      a {{ font-weight: 600; }}
    </style>
  </head>
  <body>
    <main>
      <p>KMS Lab scenario</p>
      <h1>{title}</h1>
      <p>{story}</p>
      <p><a id="open" data-scenario="{id}" href="{lab}#/scenarios/{id}">Open the scenario in KMS Lab</a></p>
    </main>
    <script>location.replace(document.getElementById('open').href);</script>
  </body>
</html>
"#
    )
}

/// Writes `oembed/<id>.json` and `s/<id>.html` for every scenario under `out`; returns how many
/// scenarios. `base` is a normalised `--base-url` or None for relative URLs.
pub fn write(root: &Path, out: &Path, base: Option<&str>) -> Result<usize> {
    let scenarios = catalog::scenarios(root)?;
    let lab = base.unwrap_or("../");
    let oembed_dir = out.join("oembed");
    let pages_dir = out.join("s");
    for dir in [&oembed_dir, &pages_dir] {
        fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    }
    for s in &scenarios {
        let json = serde_json::to_string_pretty(&response(lab, s)).map_err(|e| e.to_string())?;
        let path = oembed_dir.join(format!("{}.json", s.id));
        fs::write(&path, json + "\n").map_err(|e| format!("write {}: {e}", path.display()))?;
        let path = pages_dir.join(format!("{}.html", s.id));
        fs::write(&path, page(lab, base.is_some(), s))
            .map_err(|e| format!("write {}: {e}", path.display()))?;
    }
    eprintln!(
        "xtask: oEmbed for {} scenarios in {} ({})",
        scenarios.len(),
        out.display(),
        base.map_or_else(
            || "relative URLs: pass --base-url for absolute ones".to_owned(),
            |b| format!("base {b}")
        )
    );
    Ok(scenarios.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_or_refused() {
        assert_eq!(
            normalise_base("https://example.org/labs/kms").unwrap(),
            "https://example.org/labs/kms/"
        );
        assert_eq!(
            normalise_base("http://example.test/kms/index.html").unwrap(),
            "http://example.test/kms/"
        );
        assert_eq!(
            normalise_base("https://example.org").unwrap(),
            "https://example.org/"
        );
        for bad in [
            "example.org/kms/",
            "/kms/",
            "ftp://example.org/",
            "https://",
            "https:///kms/",
            "https://example.org/kms/?x=1",
            "https://example.org/kms/#/embed",
            "https://example.org/a\"b/",
        ] {
            assert!(normalise_base(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn responses_and_pages_escape_titles() {
        let s = Scenario {
            id: "demo".into(),
            title: "Keys & \"grants\" <now>".into(),
            story: "It's here.".into(),
            objectives: vec!["one".into()],
        };
        let r = response("https://example.org/kms/", &s);
        assert_eq!(r["version"], "1.0");
        assert_eq!(r["type"], "rich");
        assert_eq!(r["title"], "Keys & \"grants\" <now>");
        let html = r["html"].as_str().unwrap();
        assert!(html.starts_with(
            "<iframe src=\"https://example.org/kms/#/embed/scenario/demo\" width=\"800\" height=\"600\""
        ));
        assert!(html.contains("title=\"KMS Lab: Keys &amp; &quot;grants&quot; &lt;now&gt;\""));
        let page = page("../", false, &s);
        assert!(page.contains(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"../oembed/demo.json\" title=\"Keys &amp; &quot;grants&quot; &lt;now&gt;\" />"
        ));
        assert!(page.contains("It&#39;s here."));
        assert!(!page.contains("rel=\"canonical\""));
    }
}
