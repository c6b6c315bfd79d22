//! The documentation's commands still work as written: every `oordeel` command in a `sh` block
//! of the README, `docs/` and CONTRIBUTING.md, and every `$ oordeel` line of a `console`
//! transcript, parses against the real command line (subcommand, flags, values). What they do
//! is covered elsewhere: `own_data` runs the walkthrough of docs/administration.md, and each
//! command has its own tests. A renamed flag or command fails here until the docs follow.

use std::path::Path;

use clap::Parser;
use oordeel::cli::Cli;

/// The documents a reader follows.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// `(document, line, command)` for every oordeel command in a `sh` or `console` block, with
/// continued lines joined and what follows a pipe, a redirection or `;` left off.
fn commands(name: &str, text: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut block: Option<&str> = None;
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            block = match block {
                None => Some(if lang.is_empty() { "none" } else { lang }),
                Some(_) => None,
            };
            continue;
        }
        let command = match block {
            Some("sh") => line.trim(),
            Some("console") => match line.trim().strip_prefix("$ ") {
                Some(c) => c,
                None => continue,
            },
            _ => continue,
        };
        let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
        if let Some(head) = command.strip_suffix('\\') {
            joined.push_str(head);
            joined.push(' ');
            pending = Some((start, joined));
            continue;
        }
        joined.push_str(command);
        if joined.starts_with('#') {
            continue;
        }
        // `sudo -u oordeel -H oordeel ...`, `OORDEEL_DB=x oordeel ...`: from the program on
        // (the account after `-u` is not it).
        let Some(at) = joined
            .match_indices("oordeel ")
            .map(|(at, _)| at)
            .find(|&at| at == 0 || (joined[..at].ends_with(' ') && !joined[..at].ends_with("-u ")))
        else {
            continue;
        };
        let tail = &joined[at..];
        let end = tail.find([';', '|', '<', '>', '#']).unwrap_or(tail.len());
        out.push((name.to_owned(), start, tail[..end].trim().to_owned()));
    }
    out
}

#[test]
fn every_documented_command_parses() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (name, text) in documents() {
        for (doc, line, command) in commands(&name, &text) {
            let Some(words) = shlex::split(&command) else {
                wrong.push(format!("{doc}:{line}: cannot split `{command}`"));
                continue;
            };
            checked += 1;
            if let Err(e) = Cli::try_parse_from(&words) {
                // `--help` and `--version` "fail" with the text they print: as written, fine.
                if !matches!(
                    e.kind(),
                    clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
                ) {
                    let first = e.to_string().lines().next().unwrap_or_default().to_owned();
                    wrong.push(format!("{doc}:{line}: `{command}`: {first}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "commands in the docs that do not parse:\n{}",
        wrong.join("\n")
    );
    // The walkthroughs alone hold some thirty; finding few means the blocks were not found.
    assert!(checked >= 25, "only {checked} documented commands found");
}

#[test]
fn a_renamed_flag_in_the_docs_is_caught() {
    let text = "```sh\noordeel train --l2 0.5\noordeel train --lambda 0.5 \\\n  --seed 3\n```\n";
    let found = commands("x.md", text);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[1],
        (
            "x.md".into(),
            3,
            "oordeel train --lambda 0.5  --seed 3".into()
        )
    );
    let words = shlex::split(&found[1].2).unwrap();
    assert!(Cli::try_parse_from(&words).is_err());
    assert!(Cli::try_parse_from(shlex::split(&found[0].2).unwrap()).is_ok());
}
