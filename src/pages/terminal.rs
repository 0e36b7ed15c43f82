//! The aws-cli terminal: the same parser as the native `kmslab` command.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::why::Why;
use crate::hooks::use_lab;
use crate::state::{RunningJob, TermEntry};

/// Lines of the welcome banner.
const WELCOME: &str = "KMS Lab terminal — aws-cli syntax (the word `aws` is optional).
Try:  aws kms create-key --description demo
      aws kms list-keys
      lab whoami        lab clock advance 30d        help
Enter runs · Shift+Enter adds a line · ↑/↓ history · Tab completes";

#[component]
pub fn Terminal() -> Html {
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ "Terminal" }</h1>
                <span class="muted">{ "aws-cli v2 compatible · JSON output · --query · --output text|table" }</span>
            </div>
            <TerminalPanel />
        </section>
    }
}

/// Copies text to the clipboard (best effort: browsers may refuse without a user gesture).
fn copy_button(text: String) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
        }
    });
    html! { <button class="btn-copy" aria-label="Copy output" title="Copy" {onclick}>{ "Copy" }</button> }
}

/// Entries per render block of the scrollback.
const BLOCK: u64 = 25;

#[derive(Properties)]
struct BlockProps {
    entries: Vec<Rc<TermEntry>>,
}

impl PartialEq for BlockProps {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

/// A block of the scrollback: entries `n·BLOCK` to `(n+1)·BLOCK - 1` by their number since the
/// lab started. A new line changes the last block and, once the scrollback is full, the first
/// (which loses its oldest entry); the blocks between are the same entries and do not render
/// again. (Unkeyed on purpose: Yew rebuilt every node of a keyed list when its first item went.)
#[component]
fn EntryBlock(props: &BlockProps) -> Html {
    html! { <>{ for props.entries.iter().map(|e| entry_view(e)) }</> }
}

fn entry_view(entry: &TermEntry) -> Html {
    let ok = entry.output.exit_code == 0;
    html! {
        <div class={classes!("term-entry", (!ok).then_some("term-failed"))}>
            <div class="term-input"><span class="term-prompt">{ format!("{} $ ", entry.profile) }</span>{ entry.input.clone() }</div>
            if !entry.output.stdout.is_empty() {
                <div class="term-out-wrap">
                    { copy_button(entry.output.stdout.clone()) }
                    <pre class="term-stdout">{ entry.output.stdout.clone() }</pre>
                </div>
            }
            if !entry.output.stderr.is_empty() {
                <pre class="term-stderr">{ entry.output.stderr.trim_start_matches('\n').to_owned() }</pre>
            }
            if !ok {
                <div class="term-exit">{ format!("exit code {}", entry.output.exit_code) }</div>
            }
            if let Some(code) = &entry.output.error_code {
                <Why code={code.clone()} card={entry.output.why.clone()} />
            }
        </div>
    }
}

/// The scrollback cut into [`BLOCK`]s by entry number (`start` is the first entry's).
fn blocks(start: u64, transcript: &[Rc<TermEntry>]) -> Vec<Vec<Rc<TermEntry>>> {
    let mut out: Vec<Vec<Rc<TermEntry>>> = Vec::new();
    let mut current = None;
    for (n, entry) in (start..).zip(transcript) {
        let block = n / BLOCK;
        match out.last_mut() {
            Some(last) if current == Some(block) => last.push(Rc::clone(entry)),
            _ => {
                out.push(vec![Rc::clone(entry)]);
                current = Some(block);
            }
        }
    }
    out
}

/// `12000` as `12,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the progress bar says: `lab load: 4,200 of 12,000 PutObject`.
pub fn job_label(job: &RunningJob) -> String {
    match &job.progress {
        Some(p) => format!(
            "lab load: {} of {} {}",
            thousands(p.done),
            thousands(p.total),
            p.label
        ),
        None => "lab load: starting…".into(),
    }
}

/// Lines that wait for the rest of the lab (the engine's extension, downloaded after the first
/// load): shown as typed, with why they have not run yet.
fn waiting_view(waiting: &[crate::state::Action], profile: &str) -> Html {
    use crate::state::Action;
    let lines: Vec<&str> = waiting
        .iter()
        .filter_map(|a| match a {
            Action::Run(text) | Action::RunFor { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <div class="term-job" data-testid="term-waiting" aria-busy="true">
            { for lines.iter().map(|line| html! {
                <div class="term-input"><span class="term-prompt">{ format!("{profile} $ ") }</span>{ *line }</div>
            }) }
            <div class="term-progress">
                <progress class="term-progress-bar" aria-label="Loading the rest of the lab" />
                <span class="term-progress-text" aria-hidden="true">{ "Loading the rest of the lab (the command line and the services)…" }</span>
            </div>
            <div class="term-exit">{ "These lines run as soon as it is here." }</div>
        </div>
    }
}

/// The long command under way: its line, a progress bar, and the lines waiting for it.
fn job_view(job: &RunningJob, waiting: usize) -> Html {
    let label = job_label(job);
    let bar = match &job.progress {
        Some(p) => html! {
            <progress class="term-progress-bar" max={p.total.max(1).to_string()}
                value={p.done.to_string()} aria-label={label.clone()} />
        },
        // No value yet: an indeterminate bar.
        None => html! { <progress class="term-progress-bar" aria-label={label.clone()} /> },
    };
    html! {
        <div class="term-job" data-testid="term-job" aria-busy="true">
            <div class="term-input"><span class="term-prompt">{ format!("{} $ ", job.profile) }</span>{ job.text.clone() }</div>
            <div class="term-progress">
                { bar }
                <span class="term-progress-text" aria-hidden="true">{ label }</span>
            </div>
            <div class="term-exit">{
                if waiting > 0 {
                    format!("{waiting} more line(s) will run when it is done")
                } else {
                    "You can keep typing: lines you run now wait until it is done.".to_owned()
                }
            }</div>
        </div>
    }
}

/// The terminal itself (used by the Terminal page; the drawer reuses it).
#[component]
pub fn TerminalPanel() -> Html {
    let lab = use_lab();
    let input = use_state(String::new);
    // Position in history while browsing with ↑/↓ (None = editing a new line).
    let cursor = use_state(|| None::<usize>);
    let hint = use_state(String::new);
    let area = use_node_ref();
    let screen = use_node_ref();

    // Keep the newest output in view (scrolling the terminal only, not the page).
    {
        let screen = screen.clone();
        use_effect_with((lab.transcript.len(), lab.job.is_some()), move |_| {
            if let Some(el) = screen.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let input = input.clone();
        let cursor = cursor.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                input.set(t.value());
                cursor.set(None);
            }
        })
    };

    let onkeydown = {
        let lab = lab.clone();
        let input = input.clone();
        let cursor = cursor.clone();
        let hint = hint.clone();
        Callback::from(move |e: KeyboardEvent| {
            let history = lab.history.clone();
            match e.key().as_str() {
                "Enter" if !e.shift_key() => {
                    e.prevent_default();
                    let text = (*input).clone();
                    if text.trim() == "clear" {
                        lab.clear_terminal();
                    } else {
                        lab.run(text);
                    }
                    input.set(String::new());
                    cursor.set(None);
                    hint.set(String::new());
                }
                "ArrowUp" if !input.contains('\n') && !history.is_empty() => {
                    e.prevent_default();
                    let i = match *cursor {
                        Some(i) => i.saturating_sub(1),
                        None => history.len() - 1,
                    };
                    input.set(history.get(i).cloned().unwrap_or_default());
                    cursor.set(Some(i));
                }
                "ArrowDown" if cursor.is_some() => {
                    e.prevent_default();
                    let i = cursor.map(|i| i + 1).unwrap_or(0);
                    if i >= history.len() {
                        input.set(String::new());
                        cursor.set(None);
                    } else {
                        input.set(history.get(i).cloned().unwrap_or_default());
                        cursor.set(Some(i));
                    }
                }
                "Tab" => {
                    e.prevent_default();
                    let done = lab.with_session(|s| awscli::complete_line(s, &input, &s.files));
                    // Completing key IDs asks KMS (on a copy of the world): before the engine's
                    // chunk is here that finds nothing and notes the want, which is taken here.
                    let loading = cloud::service::take_wanted();
                    let many = &done.candidates;
                    if done.line == *input && many.is_empty() {
                        hint.set(if loading {
                            "key IDs and names complete once the rest of the lab has loaded".into()
                        } else {
                            "no completions".into()
                        });
                    } else {
                        let shown: Vec<&str> = many.iter().take(24).map(String::as_str).collect();
                        let more = if many.len() > 24 {
                            format!("  … {} more", many.len() - 24)
                        } else {
                            String::new()
                        };
                        hint.set(format!("{}{more}", shown.join("  ")));
                        input.set(done.line);
                    }
                }
                _ => {}
            }
        })
    };

    let focus = {
        let area = area.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                let _ = t.focus();
            }
        })
    };
    let upload = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let lab = lab.clone();
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                    lab.put_file(name, bytes);
                }
            });
            input.set_value("");
        })
    };
    let files = lab.with_session(|s| awscli::FileSystem::list(&s.files));
    let rows = input.lines().count().clamp(1, 12).to_string();
    let profile = lab.identity().profile;

    html! {
        <>
        <div class="term-toolbar">
            <label class="btn btn-small">{ "Upload a file for fileb://" }
                <input type="file" class="visually-hidden" onchange={upload} data-testid="term-upload" />
            </label>
            if !files.is_empty() {
                <span class="muted small" data-testid="term-files">{ format!("Files: {}", files.join(", ")) }</span>
            }
        </div>
        <div class="terminal" ref={screen} onclick={focus}>
            <pre class="term-welcome">{ WELCOME }</pre>
            { for blocks(lab.transcript_start, &lab.transcript).into_iter().map(|entries| html! {
                <EntryBlock {entries} />
            }) }
            if let Some(job) = &lab.job {
                { job_view(job, lab.queued.len()) }
            }
            { waiting_view(&lab.waiting, &profile) }
            <div class="term-line">
                <label class="term-prompt" for="term-input">{ format!("{profile} $ ") }</label>
                <textarea id="term-input" ref={area} class="term-textarea" rows={rows}
                    spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-label="Command" placeholder="aws kms list-keys"
                    value={(*input).clone()} {oninput} {onkeydown} />
            </div>
            if !hint.is_empty() {
                <div class="term-hint" role="status">{ (*hint).clone() }</div>
            }
        </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{BLOCK, blocks};
    use crate::state::TermEntry;

    fn entry(n: u64) -> Rc<TermEntry> {
        Rc::new(TermEntry {
            profile: "admin".into(),
            input: format!("echo {n}"),
            output: awscli::LineOutput::default(),
        })
    }

    /// Blocks follow entry numbers, so dropping the oldest entry changes only the first block.
    #[test]
    fn blocks_are_cut_by_entry_number_and_keep_the_order() {
        let all: Vec<Rc<TermEntry>> = (0..60).map(entry).collect();
        let cut = blocks(BLOCK - 2, &all[..30]);
        let sizes: Vec<usize> = cut.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 25, 3]);
        let flat: Vec<&Rc<TermEntry>> = cut.iter().flatten().collect();
        assert!(flat.iter().zip(&all[..30]).all(|(a, b)| Rc::ptr_eq(a, b)));
        // One entry dropped at the front: the middle block is the same entries.
        let next = blocks(BLOCK - 1, &all[1..31]);
        assert_eq!(next.len(), 3);
        assert_eq!(next[0].len(), 1);
        assert!(next[1].iter().zip(&cut[1]).all(|(a, b)| Rc::ptr_eq(a, b)));
        assert!(blocks(0, &[]).is_empty());
    }
}
