//! The import-circle check of `cargo xtask tidy`: within each crate, a module that imports
//! another (`crate::a`, `crate::a::b`, `super::x`) depends on it; no two modules may depend on
//! each other, directly or round a circle. Comments and `#[cfg(test)] mod tests` are not read (a
//! test may import what it tests from anywhere).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util;

/// The source trees checked.
pub(crate) const TREES: &[&str] = &[
    "crates/certcheck/src",
    "crates/certcheck-api/src",
    "crates/certcheck-cli/src",
    "crates/certcheck-generate/src",
    "crates/certcheck-server/src",
    "crates/certcheck-wasm/src",
    "crates/xtask/src",
    "web/src",
];

/// Every circle in `tree`, each as its modules in order.
pub(crate) fn circles(tree: &Path) -> Vec<Vec<String>> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for file in util::files_under(tree) {
        let Some(relative) = file.strip_prefix(tree).ok().and_then(|p| p.to_str()) else { continue };
        let Some(stem) = relative.strip_suffix(".rs") else { continue };
        let name = stem.replace('/', "::");
        let name = name.strip_suffix("::mod").map(str::to_owned).unwrap_or(name);
        let name = if name == "lib" || name == "main" { "crate".to_owned() } else { name };
        modules.insert(name, std::fs::read_to_string(&file).unwrap_or_default());
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in &modules {
        let code = code_of(text);
        let mut uses = BTreeSet::new();
        for path in references(&code, "crate::") {
            if let Some(target) = resolve(&modules, &path) {
                uses.insert(target);
            }
        }
        let parent = name.rsplit_once("::").map(|(parent, _)| parent.to_owned());
        for path in references(&code, "super::") {
            let full = match &parent {
                Some(parent) => format!("{parent}::{path}"),
                None => path,
            };
            if let Some(target) = resolve(&modules, &full) {
                uses.insert(target);
            }
        }
        uses.remove(name);
        uses.remove("crate");
        graph.insert(name.clone(), uses);
    }
    strongly_connected(&graph).into_iter().filter(|component| component.len() > 1).collect()
}

/// The source without comments and without a trailing `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => line.get(..at).unwrap_or(line),
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module paths after each `prefix` (`a::b` of `crate::a::b::Item`), lowercase segments only.
fn references(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let preceded = rest.get(..at).and_then(|before| before.chars().last());
        let tail = rest.get(at + prefix.len()..).unwrap_or_default();
        rest = tail;
        if preceded.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let segments: Vec<&str> = tail
            .split("::")
            .map(|s| s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default())
            .take_while(|s| {
                !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .collect();
        if !segments.is_empty() {
            found.push(segments.join("::"));
        }
    }
    found
}

/// The longest known module that `path` starts with.
fn resolve(modules: &BTreeMap<String, String>, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split("::").collect();
    (1..=segments.len())
        .rev()
        .map(|n| segments.get(..n).unwrap_or_default().join("::"))
        .find(|m| modules.contains_key(m))
}

/// Tarjan's strongly connected components.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for next in graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !graph.contains_key(next) {
                continue;
            }
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[next].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.index[next].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            component.sort();
            state.found.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_skip_longer_names_and_stop_at_items() {
        assert_eq!(references("use crate::a::b::{C, d};\nmy_crate::x::y", "crate::"), ["a::b"]);
        assert_eq!(references("super::peer::Item", "super::"), ["peer"]);
        assert_eq!(code_of("use a; // crate::b\n#[cfg(test)]\nmod tests { crate::c }"), "use a; ");
    }

    #[test]
    fn a_circle_is_found_and_a_line_is_not() {
        let tree = std::env::temp_dir().join(format!("certcheck-circles-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tree);
        std::fs::create_dir_all(tree.join("group")).unwrap_or_default();
        let files = [
            ("lib.rs", "mod a; mod b; mod c; mod group;"),
            ("a.rs", "use crate::b::Thing;"),
            ("b.rs", "use crate::c;\n/// not an import: [`crate::a`]"),
            ("c.rs", "fn f() { crate::group::inner::g() }"),
            ("group/mod.rs", "pub mod inner;"),
            ("group/inner.rs", "use super::super::a; use crate::a::X;"),
        ];
        for (name, text) in files {
            std::fs::write(tree.join(name), text).unwrap_or_default();
        }
        let found = circles(&tree);
        std::fs::write(tree.join("group/inner.rs"), "pub fn g() {}").unwrap_or_default();
        let after = circles(&tree);
        let _ = std::fs::remove_dir_all(&tree);
        assert_eq!(found, [["a", "b", "c", "group::inner"]]);
        assert!(after.is_empty());
    }
}
