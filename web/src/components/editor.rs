//! The paste area ("Certificate") with line numbers, a file picker and drag-and-drop. Text stays
//! text; binary files (DER, P7B, P12) are kept as bytes and shown as a file.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{ClipboardEvent, DragEvent, FileList, HtmlInputElement, InputEvent};

use crate::browser;
use crate::context::AppState;
use crate::state::{Input, line_count, line_numbers, line_range};

/// What the file picker offers (anything may still be dropped).
const ACCEPT: &str = ".pem,.crt,.cer,.der,.p7b,.p7c,.p12,.pfx,.key,.txt,.json";

/// Texts at least this long (in UTF-16 units) are inserted by the editor itself: Chromium's own
/// insertion of a many-line text into a textarea takes time quadratic in its lines (a 234 KB
/// bundle typed in by a script's `insertText`: about 45 s), `setRangeText` is linear. The browser's
/// undo history does not record such an insertion.
const LARGE_INSERT: usize = 4096;

/// The input area.
#[component]
pub fn Editor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let area: NodeRef<html::Textarea> = NodeRef::new();
    let gutter: NodeRef<html::Pre> = NodeRef::new();
    let dragging = RwSignal::new(false);
    let binary = Memo::new(move |_| state.input.with(|input| matches!(input, Input::Binary { .. })));
    let lines = Memo::new(move |_| {
        state.input.with(|input| match input {
            Input::Text(text) => line_count(text),
            Input::Binary { .. } => 0,
        })
    });

    // The paste area shows the input when something else changed it (a fix, a file, Clear);
    // what the user typed is already there, and is not written back (a bundle is 200 KB).
    let typed = StoredValue::new(false);
    Effect::new(move |_| {
        state.input.track();
        let Some(element) = area.get() else { return };
        if typed.get_value() {
            typed.set_value(false);
            return;
        }
        state.input.with_untracked(|input| match input {
            Input::Text(text) => element.set_value(text),
            Input::Binary { .. } => element.set_value(""),
        });
    });

    // A clicked diagnostic selects its line and scrolls it into view.
    Effect::new(move |_| {
        let Some(line) = state.highlight.get() else { return };
        let Some(element) = area.get_untracked() else { return };
        let value = element.value();
        let Some((start, end)) = line_range(&value, line) else { return };
        let _ = element.focus();
        let _ = element.set_selection_range(start, end);
        let count = value.split('\n').count().max(1);
        let per_line = f64::from(element.scroll_height()) / count as f64;
        #[allow(clippy::cast_possible_truncation)]
        let top = ((f64::from(line) - 4.0).max(0.0) * per_line) as i32;
        element.set_scroll_top(top);
        if let Some(gutter) = gutter.get_untracked() {
            gutter.set_scroll_top(top);
        }
    });

    // The paste area's text after an edit, into the input (the effect above does not write it back).
    let typed_in = move |text: String| {
        if state.highlight.get_untracked().is_some() {
            state.highlight.set(None);
        }
        typed.set_value(true);
        state.input.set(Input::Text(text));
    };
    // A large insertion (a script's insertText, a paste, a drop of text) replaces the selection
    // in one step.
    let insert_large = move |text: &str| -> bool {
        if text.encode_utf16().count() < LARGE_INSERT {
            return false;
        }
        let Some(element) = area.get_untracked() else { return false };
        let start = element.selection_start().ok().flatten().unwrap_or(0);
        let end = element.selection_end().ok().flatten().unwrap_or(start);
        if element.set_range_text_with_start_and_end_and_mode(text, start, end, "end").is_err() {
            return false;
        }
        typed_in(element.value());
        true
    };

    let take_files = move |files: Option<FileList>| {
        let Some(file) = files.and_then(|files| files.get(0)) else { return };
        spawn_local(async move {
            if let Some(bytes) = browser::read_file(&file).await {
                state.highlight.set(None);
                state.input.set(Input::from_file(&file.name(), bytes));
            }
        });
    };

    view! {
        <div class="editor-head">
            <label for="certificate" class="label">"Certificate"</label>
            <label class="file-button">
                "Open a file…"
                <input type="file" accept=ACCEPT class="visually-hidden" on:change=move |ev| {
                    let picker: HtmlInputElement = event_target(&ev);
                    take_files(picker.files());
                    picker.set_value("");
                }/>
            </label>
        </div>
        <p class="hint" id="certificate-hint">
            "Paste PEM (escaped JSON or YAML is fine), or drop a .pem .crt .cer .der .p7b .p12 file anywhere here."
        </p>
        <div class="editor" class:dragging=move || dragging.get()
            on:dragover=move |ev: DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                take_files(ev.data_transfer().and_then(|transfer| transfer.files()));
            }>
            <Show when=move || binary.get()>
                <div class="binary" role="group" aria-label="Binary file">
                    {move || state.input.with(|input| match input {
                        Input::Binary { name, bytes } => format!("{name}: {} bytes of binary data, checked as bytes.", bytes.len()),
                        Input::Text(_) => String::new(),
                    })}
                    <button type="button" on:click=move |_| state.input.set(Input::default())>"Clear"</button>
                </div>
            </Show>
            <div class="text-input" class:hidden=move || binary.get()>
                <pre class="gutter" aria-hidden="true" node_ref=gutter>{move || line_numbers(lines.get())}</pre>
                <textarea id="certificate" node_ref=area spellcheck="false" autocomplete="off" autocapitalize="off"
                    wrap="off" rows="18" aria-describedby="certificate-hint"
                    placeholder="-----BEGIN CERTIFICATE-----"
                    on:input=move |ev| typed_in(event_target_value(&ev))
                    on:beforeinput=move |ev: InputEvent| {
                        if ev.input_type() == "insertText"
                            && let Some(data) = ev.data()
                            && insert_large(&data)
                        {
                            ev.prevent_default();
                        }
                    }
                    on:paste=move |ev: ClipboardEvent| {
                        let text = ev.clipboard_data().and_then(|data| data.get_data("text/plain").ok());
                        if let Some(text) = text
                            && insert_large(&text)
                        {
                            ev.prevent_default();
                        }
                    }
                    on:scroll=move |_| {
                        if let (Some(area), Some(gutter)) = (area.get_untracked(), gutter.get_untracked()) {
                            gutter.set_scroll_top(area.scroll_top());
                        }
                    }></textarea>
            </div>
        </div>
        <p class="muted" aria-live="polite">
            {move || state.highlight.get().map(|line| format!("Line {line} selected."))}
        </p>
    }
}
