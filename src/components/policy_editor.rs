//! A policy editor for JSON policy documents (key, IAM, bucket, resource and queue policies): a
//! plain textarea beside a line-number gutter, with an error marker on the line (and a caret at
//! the column) the JSON parser or the service reported.
//!
//! - The document is kept as written: nothing reformats it unless the learner chooses Format.
//! - Save checks JSON syntax first (as the console's editors do) and calls `on_save` only when the
//!   text parses; the service then validates the policy itself, and its error (passed back in
//!   `error`) is marked where it points: "line 3, column 5", or the statement and element it names.
//! - No editor crate: the first-load wasm budget is tight, and a textarea is accessible as it is.

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Where a problem is, 1-based, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Properties, PartialEq, Debug)]
pub struct PolicyEditorProps {
    /// The document to edit (its text as stored: kept as written).
    pub value: AttrValue,
    /// The textarea's accessible name, e.g. "Key policy JSON".
    pub label: AttrValue,
    /// Called with the text when Save is chosen and the text is valid JSON.
    pub on_save: Callback<String>,
    /// Cancel (no button when absent).
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
    /// Called on every edit (a caller that keeps the text, as the IAM page does).
    #[prop_or_default]
    pub on_change: Option<Callback<String>>,
    /// The service's answer to the last save ("Code: message"), marked where it points.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The error code shown for a local JSON syntax error (the code the service would answer).
    #[prop_or(AttrValue::Static("MalformedPolicyDocument"))]
    pub syntax_code: AttrValue,
    #[prop_or(AttrValue::Static("Save changes"))]
    pub save_label: AttrValue,
    /// `data-testid` of the textarea (tests rely on `policy-editor` for the key policy).
    #[prop_or(AttrValue::Static("policy-editor"))]
    pub testid: AttrValue,
    /// `data-testid` of the Save button.
    #[prop_or(AttrValue::Static("policy-save"))]
    pub save_testid: AttrValue,
}

/// The JSON syntax error in `text`, at the parser's line and column.
pub fn syntax_error(text: &str) -> Option<Marker> {
    serde_json::from_str::<serde_json::Value>(text)
        .err()
        .map(|e| Marker {
            line: e.line().max(1),
            column: e.column().max(1),
            message: format!(
                "the policy is not valid JSON: line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ),
        })
}

/// serde_json's message without its trailing " at line N column M".
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The text re-indented (two spaces, members in their order); the syntax error when it does not parse.
pub fn format(text: &str) -> Result<String, Marker> {
    if let Some(m) = syntax_error(text) {
        return Err(m);
    }
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .ok_or(Marker {
            line: 1,
            column: 1,
            message: "the policy could not be formatted".into(),
        })
}

/// Where a service's error message points in `text`: an explicit "line N, column M" (or
/// serde_json's "line N column M"), else the statement it names (`statement 2`, `statement
/// \`Sid\``), narrowed to the first element it names in backticks.
pub fn locate(message: &str, text: &str) -> Option<(usize, usize)> {
    if let Some(pos) = line_column(message) {
        return Some(pos);
    }
    let starts = statement_starts(text);
    let start = if let Some(sid) = between(message, "statement `", "`") {
        let needle = format!("\"{sid}\"");
        let at = text.find(&needle)?;
        *starts.iter().rev().find(|s| **s <= at)?
    } else {
        let rest = message.split("statement ").nth(1)?;
        let n: usize = rest
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()?;
        *starts.get(n.checked_sub(1)?)?
    };
    let end = starts
        .iter()
        .find(|s| **s > start)
        .copied()
        .unwrap_or(text.len());
    // The element named after the statement ("unknown element `Acton`"), inside this statement.
    let after = message.split_once("`: ").map_or("", |(_, r)| r);
    let after = if after.is_empty() {
        message.split_once(": ").map_or("", |(_, r)| r)
    } else {
        after
    };
    let at = between(after, "`", "`")
        .and_then(|element| {
            let needle = format!("\"{element}\"");
            text.get(start..end)?.find(&needle).map(|i| start + i)
        })
        .unwrap_or(start);
    Some(position(text, at))
}

/// `line N, column M` or `line N column M` in a message.
fn line_column(message: &str) -> Option<(usize, usize)> {
    let rest = message.split("line ").nth(1)?;
    let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let rest = rest.get(line.len()..)?;
    let rest = rest
        .strip_prefix(", column ")
        .or_else(|| rest.strip_prefix(" column "))?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The text between the first `open` and the next `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let rest = &text[text.find(open)? + open.len()..];
    Some(&rest[..rest.find(close)?])
}

/// 1-based (line, column) of a byte offset (columns count characters).
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Byte offsets of each statement object: the `{` of `"Statement": {…}`, or of each object in
/// `"Statement": [{…}, …]` (top-level member only; strings and nesting are skipped).
pub fn statement_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    let mut string_start = 0;
    let mut last_string: Option<(usize, usize)> = None;
    let mut key: Option<(usize, usize)> = None;
    let mut in_statements = false;
    let is_statement =
        |k: Option<(usize, usize)>| k.and_then(|(a, b)| text.get(a..b)) == Some("Statement");
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    last_string = Some((string_start, i));
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b':' if stack.len() == 1 => key = last_string,
            b',' if stack.len() == 1 => key = None,
            b'{' | b'[' => {
                if stack.len() == 1 && is_statement(key) {
                    if b == b'{' {
                        out.push(i);
                    } else {
                        in_statements = true;
                    }
                } else if stack.len() == 2 && in_statements && b == b'{' {
                    out.push(i);
                }
                stack.push(b);
            }
            b'}' | b']' => {
                stack.pop();
                if stack.len() == 1 {
                    in_statements = false;
                }
            }
            _ => {}
        }
    }
    out
}

/// The UTF-16 offset of (line, column) in `text`, for the textarea's selection.
fn utf16_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0usize;
    for (n, l) in text.split('\n').enumerate() {
        if n + 1 == line {
            offset += l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum::<usize>();
            return u32::try_from(offset).unwrap_or(u32::MAX);
        }
        offset += l.encode_utf16().count() + 1;
    }
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[component]
pub fn PolicyEditor(props: &PolicyEditorProps) -> Html {
    let text = use_state(|| props.value.to_string());
    let local = use_state(|| None::<Marker>);
    let area = use_node_ref();
    let gutter = use_node_ref();
    // A new document from the caller replaces the text (the learner's edits are not lost on
    // re-render: only a changed `value` does this).
    {
        let text = text.clone();
        let local = local.clone();
        use_effect_with(props.value.clone(), move |v| {
            text.set(v.to_string());
            local.set(None);
        });
    }
    let marker: Option<Marker> = (*local).clone().or_else(|| {
        let e = props.error.as_ref()?;
        let (line, column) = locate(e, &text).unwrap_or((0, 0));
        Some(Marker {
            line,
            column,
            message: e.to_string(),
        })
    });

    let oninput = {
        let text = text.clone();
        let local = local.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let v = t.value();
                if let Some(cb) = &on_change {
                    cb.emit(v.clone());
                }
                text.set(v);
                local.set(None);
            }
        })
    };
    let onscroll = {
        let area = area.clone();
        let gutter = gutter.clone();
        Callback::from(move |_: Event| {
            if let (Some(a), Some(g)) = (
                area.cast::<HtmlTextAreaElement>(),
                gutter.cast::<HtmlElement>(),
            ) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    let save = {
        let text = text.clone();
        let local = local.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |_: MouseEvent| match syntax_error(&text) {
            Some(m) => local.set(Some(m)),
            None => {
                local.set(None);
                on_save.emit((*text).clone());
            }
        })
    };
    let format_click = {
        let text = text.clone();
        let local = local.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| match format(&text) {
            Ok(f) => {
                if let Some(cb) = &on_change {
                    cb.emit(f.clone());
                }
                text.set(f);
                local.set(None);
            }
            Err(m) => local.set(Some(m)),
        })
    };
    let go_to = |m: &Marker| {
        let area = area.clone();
        let text = text.clone();
        let (line, column) = (m.line, m.column);
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let at = utf16_offset(&text, line, column);
                let _ = a.focus();
                let _ = a.set_selection_range(at, at.saturating_add(1));
            }
        })
    };
    let lines = text.split('\n').count().max(1);
    let err_line = marker.as_ref().map_or(0, |m| m.line);
    let is_local = local.is_some();
    let error_id = "policy-editor-error";
    html! {
        <div class="pe">
            <div class={classes!("pe-frame", marker.is_some().then_some("pe-frame-err"))}>
                <div class="pe-gutter" aria-hidden="true" ref={gutter}>
                    { for (1..=lines).map(|n| html! {
                        <div class={classes!("pe-ln", (n == err_line).then_some("pe-ln-err"))}>{ n }</div>
                    }) }
                </div>
                <textarea class="pe-text" ref={area.clone()} aria-label={props.label.clone()} data-testid={props.testid.clone()}
                    spellcheck="false" autocapitalize="off" wrap="off" value={(*text).clone()}
                    aria-invalid={marker.is_some().then_some("true")}
                    aria-describedby={marker.is_some().then_some(error_id)}
                    {oninput} {onscroll} />
            </div>
            if let Some(m) = &marker {
                <div class="editor-error pe-error" role="alert" id={error_id} data-testid="policy-error">
                    if m.line > 0 {
                        <span class="pe-where" data-testid="policy-error-where">{ format!("Line {}, column {}", m.line, m.column) }</span>
                        { " " }
                    }
                    <span>{ if is_local { format!("{}: {}", props.syntax_code, m.message) } else { m.message.clone() } }</span>
                    if m.line > 0 {
                        { " " }<button type="button" class="btn btn-small" onclick={go_to(m)}>{ "Go to error" }</button>
                    }
                </div>
            }
            <div class="actions">
                <button type="button" class="btn btn-primary btn-small" onclick={save} data-testid={props.save_testid.clone()}>{ props.save_label.clone() }</button>
                <button type="button" class="btn btn-small" onclick={format_click}>{ "Format" }</button>
                if let Some(cancel) = &props.on_cancel {
                    <button type="button" class="btn btn-small" onclick={cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"Root\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},\n      \"Action\": \"kms:*\",\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"AWS\": \"*\"},\n      \"Acton\": \"kms:Decrypt\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";

    #[test]
    fn a_syntax_error_is_marked_where_the_parser_stopped() {
        let m = syntax_error(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\" ",
        )
        .unwrap();
        assert_eq!(m.line, 3);
        assert!(m.message.contains("line 3"), "{m:?}");
        assert!(
            !m.message.contains(" at line "),
            "the position is not said twice: {m:?}"
        );
        assert_eq!(syntax_error(POLICY), None);
        let m = syntax_error("{\"a\": 1,}").unwrap();
        assert_eq!((m.line, m.column), (1, 9));
    }

    #[test]
    fn service_errors_point_at_lines_statements_and_elements() {
        assert_eq!(
            locate(
                "MalformedPolicyDocumentException: invalid JSON at line 33, column 5: EOF",
                POLICY
            ),
            Some((33, 5))
        );
        assert_eq!(
            locate("expected value at line 2 column 7", POLICY),
            Some((2, 7))
        );
        // The second statement, at its misspelt element.
        assert_eq!(
            locate(
                "MalformedPolicyDocumentException: statement 2: unknown element `Acton` (did you mean `Action`?)",
                POLICY
            ),
            Some((14, 7))
        );
        // By Sid, at the statement's start when the element is not in it.
        assert_eq!(
            locate(
                "statement `Root`: missing required element `Condition`",
                POLICY
            ),
            Some((4, 5))
        );
        assert_eq!(locate("statement 9: unknown element `X`", POLICY), None);
        assert_eq!(
            locate(
                "The new key policy will not allow you to update the key policy in the future.",
                POLICY
            ),
            None
        );
    }

    #[test]
    fn statements_are_found_in_a_list_or_alone_and_strings_are_skipped() {
        let one =
            r#"{"Statement": {"Sid": "a \"{[\"", "Effect": "Allow"}, "Version": "2012-10-17"}"#;
        assert_eq!(statement_starts(one), vec![14]);
        let list = r#"{"Id": "x", "Statement": [{"Condition": {"Bool": {}}}, {}]}"#;
        assert_eq!(statement_starts(list), vec![26, 55]);
        assert_eq!(
            statement_starts(r#"{"Other": [{}], "Statement": []}"#),
            Vec::<usize>::new()
        );
        assert_eq!(statement_starts("not json"), Vec::<usize>::new());
    }

    #[test]
    fn format_keeps_member_order_and_refuses_bad_json() {
        let f = format(r#"{"Version":"2012-10-17","Statement":[{"Sid":"b","Effect":"Allow"}]}"#)
            .unwrap();
        assert!(
            f.find("Version").unwrap() < f.find("Statement").unwrap(),
            "{f}"
        );
        assert!(f.find("Sid").unwrap() < f.find("Effect").unwrap(), "{f}");
        assert!(f.contains("\n  \"Statement\": [\n    {"), "{f}");
        assert_eq!(format("{").unwrap_err().line, 1);
    }

    #[test]
    fn selection_offsets_count_utf16_units() {
        assert_eq!(utf16_offset("ab\ncd", 2, 2), 4);
        assert_eq!(utf16_offset("é😀\nx", 1, 3), 3);
        assert_eq!(utf16_offset("a", 5, 1), 2);
    }

    #[test]
    fn the_policy_parsers_own_messages_are_located() {
        let typo = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"Enable IAM User Permissions\",\n      \"Effect\": \"Allow\",\n      \"Principal\": { \"AWS\": \"arn:aws:iam::111122223333:root\" },\n      \"Acton\": \"kms:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
        let e = policy::PolicyDocument::parse(
            typo,
            policy::PolicyKind::Resource,
            policy::Limits::none(),
        )
        .unwrap_err();
        let shown = format!("MalformedPolicyDocumentException: {e}");
        assert_eq!(locate(&shown, typo), Some((8, 7)), "{shown}");
        // IAM wraps the same message.
        let iam = format!("MalformedPolicyDocument: Syntax errors in policy. ({e})");
        assert_eq!(locate(&iam, typo), Some((8, 7)), "{iam}");
        let e = policy::PolicyDocument::parse(
            "{\n  \"Version\": 1,\n",
            policy::PolicyKind::Resource,
            policy::Limits::none(),
        )
        .unwrap_err();
        assert!(locate(&e.to_string(), "").is_some(), "{e}");
    }
}
