//! The layers of ARCHITECTURE.md, checked: every `crate::` path in `src/` names a module its
//! own module may use, so an arrow that runs up (the store reaching for oversight, the domain
//! for the model, the console past its backend) fails here rather than in a review. Test code
//! inside `src/` (`#[cfg(test)]` modules, `tests/` folders, the console's fake backend) may
//! reach further, as a dev-dependency could.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Which top-level modules each module may name. `main`/`lib` join everything.
const MAY_USE: &[(&str, &[&str])] = &[
    ("i18n", &[]),
    ("paths", &[]),
    ("identity", &[]),
    ("domain", &[]),
    ("format", &["i18n"]),
    ("ingest", &["domain"]),
    ("model", &["domain"]),
    ("store", &["domain", "identity"]),
    ("pipeline", &["domain", "model", "store"]),
    ("checkpoints", &["domain", "store", "paths"]),
    ("oversight", &["domain", "model", "store", "format", "i18n"]),
    (
        "messages",
        &[
            "domain",
            "store",
            "model",
            "pipeline",
            "checkpoints",
            "i18n",
        ],
    ),
    (
        "console",
        &["domain", "store", "messages", "format", "i18n", "paths"],
    ),
    ("cli", &["domain", "ingest", "model", "i18n"]),
    (
        "commands",
        &[
            "checkpoints",
            "cli",
            "console",
            "domain",
            "format",
            "i18n",
            "identity",
            "ingest",
            "messages",
            "model",
            "oversight",
            "paths",
            "pipeline",
            "store",
        ],
    ),
];

/// The store's names the console may use: the types its backend trait speaks in. Anything
/// else (a `Store`, a session, a query) goes through `ReviewBackend`.
const CONSOLE_STORE_TYPES: &[&str] = &[
    "StoreError",
    "Refusal",
    "CaseRef",
    "ClaimState",
    "OpenedCase",
    "IoFailure",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without comments and without `#[cfg(test)]` items (a whole `mod tests { .. }`).
fn production_code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            // Skip the item that follows: up to its closing brace (or its `;`).
            let mut depth = 0i32;
            let mut opened = false;
            for next in lines.by_ref() {
                depth += next.matches('{').count() as i32 - next.matches('}').count() as i32;
                opened |= next.contains('{');
                if (opened && depth <= 0) || (!opened && next.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Each `crate::module` path in the code, with the names it takes from the module.
fn crate_paths(code: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let module: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = &rest[module.len()..];
        let names = match after.strip_prefix("::") {
            Some(tail) if tail.starts_with('{') => {
                let group = &tail[1..tail.find('}').unwrap_or(tail.len())];
                group
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or("").to_owned())
                    .filter(|n| !n.is_empty())
                    .collect()
            }
            Some(tail) => vec![
                tail.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect(),
            ],
            None => Vec::new(),
        };
        found.push((module, names));
    }
    found
}

#[test]
fn no_arrow_runs_up_between_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
        let module = parts[0].trim_end_matches(".rs");
        let test_code = parts
            .iter()
            .any(|p| *p == "tests" || *p == "tests.rs" || *p == "testing");
        if module == "main" || module == "lib" || test_code {
            continue;
        }
        let (_, allowed) = MAY_USE
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| panic!("src/{module} is not in MAY_USE: say where it sits"));
        let code = production_code(&std::fs::read_to_string(file).unwrap());
        for (used, names) in crate_paths(&code) {
            if used == module {
                continue;
            }
            if !allowed.contains(&used.as_str()) {
                wrong.insert(format!("{}: {module} -> {used}", relative.display()));
            }
            if module == "console" && used == "store" {
                for name in names
                    .iter()
                    .filter(|n| !CONSOLE_STORE_TYPES.contains(&n.as_str()))
                {
                    wrong.insert(format!(
                        "{}: console -> store::{name} (through ReviewBackend instead)",
                        relative.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that run up (ARCHITECTURE.md, \"Layers\"):\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The check itself catches what it is for: a store file that reaches for oversight, and a
/// console file that opens the store itself.
#[test]
fn the_layer_check_sees_an_arrow_up() {
    let store_code = production_code(
        "use crate::oversight::letter;\n// crate::model in a comment\n#[cfg(test)]\nmod tests {\n    use crate::model::x;\n}\n",
    );
    let used: Vec<String> = crate_paths(&store_code)
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(used, ["oversight"]);
    let console = crate_paths(
        "use crate::store::{StoreError, Store};\nlet s = crate::store::Store::open(p);",
    );
    assert_eq!(console[0].1, ["StoreError", "Store"]);
    assert_eq!(console[1].1, ["Store"]);
}
