//! Signed checkpoints of the event log, in the C2SP tlog-checkpoint note format.
//!
//! A checkpoint says "this log had `events` events, the last with hash `head`, at `time`",
//! signed with a key kept outside the database. Someone who can write the database can
//! re-hash the whole chain, cut its tail or put back an older copy; none of that can be made
//! to agree with a checkpoint signed earlier, which the auditor, a second host or a mailbox
//! already holds.
//!
//! The note's text is the tlog-checkpoint body with one extension line:
//!
//! ```text
//! <origin>                 oordeel.<host>/<log id>: the key's name and the log it covers
//! <events>                 decimal, no leading zeros
//! <base64 head hash>       the 32 bytes of the last event's hash
//! time <RFC 3339 UTC>      when it was signed
//!
//! — <key name> <base64(key id || Ed25519 signature)>
//! ```
//!
//! The chain is a hash chain, not a Merkle tree, so "root hash" is the head of the chain:
//! checking a checkpoint means recomputing the chain up to `events` and comparing.
//! A checkpoint file holds such notes one after another, each followed by an empty line.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, SecondsFormat, Utc};
use signed_note::{Note, NoteError, StandardVerifier, VerifierList};

/// What a checkpoint records about the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub events: i64,
    /// The hash of event `events`, as the log stores it (64 lowercase hex digits).
    pub head: String,
    pub time: DateTime<Utc>,
}

/// A log's identity in an origin: the first 16 hex digits of its first event's hash, which
/// no other log shares and which rewriting the first event changes.
pub fn log_id(first_event_hash: &str) -> String {
    first_event_hash.chars().take(16).collect()
}

/// `<key name>/<log id>`: who signs, and which log.
pub fn origin(key_name: &str, log_id: &str) -> String {
    format!("{key_name}/{log_id}")
}

/// Why a checkpoint could not be read or trusted (the sentences are in `crate::messages`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointError {
    /// Not a signed note at all (what the note parser said).
    NotANote(String),
    /// A signed note whose text is not a checkpoint (which part is wrong).
    NotACheckpoint(String),
    /// Signed, but by no key the verifier was given (the `name+id` it was signed with).
    UnknownKey(String),
    /// Signed by the given key's name and id, but the signature does not match the text:
    /// the text was altered after signing (or signed by another key with that id).
    BadSignature,
    /// A verifier key that is not `name+id+base64` of an Ed25519 key.
    BadKey(String),
}

impl Checkpoint {
    /// The note text that is signed.
    pub fn text(&self) -> String {
        let head = hex::decode(&self.head).unwrap_or_default();
        format!(
            "{}\n{}\n{}\ntime {}\n",
            self.origin,
            self.events,
            BASE64.encode(head),
            self.time.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    }

    /// Parses a note text (after its signature was checked).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let bad = |what: &str| CheckpointError::NotACheckpoint(what.to_owned());
        let mut lines = text
            .strip_suffix('\n')
            .ok_or_else(|| bad("no final newline"))?
            .split('\n');
        let origin = lines
            .next()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| bad("no origin"))?;
        let events = lines.next().ok_or_else(|| bad("no event count"))?;
        if events.is_empty()
            || !events.bytes().all(|b| b.is_ascii_digit())
            || (events.len() > 1 && events.starts_with('0'))
        {
            return Err(bad("the event count is not a decimal number"));
        }
        let events: i64 = events
            .parse()
            .map_err(|_| bad("the event count is too large"))?;
        let head = lines.next().ok_or_else(|| bad("no head hash"))?;
        let head = BASE64
            .decode(head)
            .ok()
            .filter(|h| h.len() == 32)
            .ok_or_else(|| bad("the head hash is not 32 bytes of base64"))?;
        let mut time = None;
        for line in lines {
            if let Some(t) = line.strip_prefix("time ") {
                time = DateTime::parse_from_rfc3339(t)
                    .ok()
                    .map(|t| t.with_timezone(&Utc));
            }
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            events,
            head: hex::encode(head),
            time: time.ok_or_else(|| bad("no time line"))?,
        })
    }

    /// The signed note: the text, an empty line, the signature line.
    pub fn sign(&self, signer: &signed_note::StandardSigner) -> Result<String, CheckpointError> {
        let mut note = Note::new(self.text().as_bytes(), &[])
            .map_err(|e| CheckpointError::NotANote(e.to_string()))?;
        note.add_sigs(&[signer])
            .map_err(|e| CheckpointError::NotANote(e.to_string()))?;
        String::from_utf8(note.to_bytes()).map_err(|e| CheckpointError::NotANote(e.to_string()))
    }
}

/// The verifier keys an auditor trusts (`name+id+base64`, as `oordeel checkpoint key` prints).
pub struct TrustedKeys {
    list: VerifierList,
    names: Vec<String>,
}

impl TrustedKeys {
    pub fn new(vkeys: &[String]) -> Result<Self, CheckpointError> {
        let mut verifiers: Vec<Box<dyn signed_note::Verifier>> = Vec::new();
        for vkey in vkeys {
            let v = StandardVerifier::new(vkey.trim())
                .map_err(|_| CheckpointError::BadKey(vkey.trim().to_owned()))?;
            verifiers.push(Box::new(v));
        }
        let names = vkeys
            .iter()
            .filter_map(|k| k.trim().split('+').next().map(str::to_owned))
            .collect();
        Ok(TrustedKeys {
            list: VerifierList::new(verifiers),
            names,
        })
    }

    /// The key names, for an origin check: a checkpoint's origin starts with its signer's.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Checks a note's signature and reads the checkpoint in it.
    pub fn open(&self, note: &str) -> Result<Checkpoint, CheckpointError> {
        let parsed = Note::from_bytes(note.as_bytes())
            .map_err(|e| CheckpointError::NotANote(e.to_string()))?;
        match parsed.verify(&self.list) {
            Ok(_) => {}
            Err(NoteError::UnverifiedNote) => {
                let signers = signer_names(note);
                return Err(CheckpointError::UnknownKey(signers));
            }
            Err(NoteError::InvalidSignature { .. }) => return Err(CheckpointError::BadSignature),
            Err(e) => return Err(CheckpointError::NotANote(e.to_string())),
        }
        let text = std::str::from_utf8(parsed.text())
            .map_err(|e| CheckpointError::NotANote(e.to_string()))?;
        Checkpoint::parse(text)
    }
}

/// The `name+id` of every signature line of a note, for a message.
fn signer_names(note: &str) -> String {
    let names: Vec<String> = note
        .lines()
        .filter_map(|l| l.strip_prefix("— "))
        .filter_map(|sig| {
            let (name, b64) = sig.split_once(' ')?;
            let bytes = BASE64.decode(b64).ok()?;
            let id = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?);
            Some(format!("{name}+{id:08x}"))
        })
        .collect();
    if names.is_empty() {
        "no key".to_owned()
    } else {
        names.join(", ")
    }
}

/// One note of a checkpoint file, where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledNote {
    /// 1-based position among the file's notes.
    pub number: usize,
    /// 1-based line of the file where the note begins.
    pub line: usize,
    pub text: String,
}

/// Splits a checkpoint file into its notes. A note is text lines, one empty line and its
/// signature lines (`— …`); notes are separated by empty lines. Nothing is checked here.
pub fn split_file(file: &str) -> Vec<FiledNote> {
    let mut notes = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let mut sigs: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut in_sigs = false;
    let mut finish = |body: &mut Vec<&str>, sigs: &mut Vec<&str>, start: usize| {
        if body.is_empty() && sigs.is_empty() {
            return;
        }
        let mut text = body.join("\n");
        text.push_str("\n\n");
        for s in sigs.iter() {
            text.push_str(s);
            text.push('\n');
        }
        notes.push(FiledNote {
            number: notes.len() + 1,
            line: start,
            text,
        });
        body.clear();
        sigs.clear();
    };
    for (i, line) in file.lines().enumerate() {
        if in_sigs {
            if line.starts_with("— ") {
                sigs.push(line);
                continue;
            }
            finish(&mut body, &mut sigs, start);
            in_sigs = false;
        }
        if line.is_empty() {
            if !body.is_empty() {
                in_sigs = true;
            }
            continue;
        }
        if body.is_empty() {
            start = i + 1;
        }
        body.push(line);
    }
    finish(&mut body, &mut sigs, start);
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> (signed_note::StandardSigner, String) {
        // A seeded generator: the test's key, and so its notes, are the same every run.
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let (skey, vkey) = signed_note::generate_key(&mut rng, "oordeel.test");
        (signed_note::StandardSigner::new(&skey).unwrap(), vkey)
    }

    fn checkpoint(events: i64) -> Checkpoint {
        Checkpoint {
            origin: origin("oordeel.test", "0123456789abcdef"),
            events,
            head: "ab".repeat(32),
            time: DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        }
    }

    #[test]
    fn a_signed_checkpoint_opens_with_its_key_and_reads_back_the_same() {
        let (signer, vkey) = signer();
        let note = checkpoint(45).sign(&signer).unwrap();
        assert!(note.starts_with("oordeel.test/0123456789abcdef\n45\n"));
        assert!(note.contains("\ntime 2026-12-02T10:00:00Z\n\n— oordeel.test "));
        let keys = TrustedKeys::new(&[vkey]).unwrap();
        assert_eq!(keys.open(&note).unwrap(), checkpoint(45));
    }

    #[test]
    fn an_altered_count_breaks_the_signature() {
        let (signer, vkey) = signer();
        let note = checkpoint(45)
            .sign(&signer)
            .unwrap()
            .replace("\n45\n", "\n44\n");
        let keys = TrustedKeys::new(&[vkey]).unwrap();
        assert_eq!(keys.open(&note), Err(CheckpointError::BadSignature));
    }

    #[test]
    fn another_key_is_named() {
        let (signer, _) = signer();
        let note = checkpoint(45).sign(&signer).unwrap();
        let mut rng = rand::rngs::OsRng;
        let (_, other) = signed_note::generate_key(&mut rng, "someone.else");
        let keys = TrustedKeys::new(&[other]).unwrap();
        match keys.open(&note) {
            Err(CheckpointError::UnknownKey(names)) => assert!(names.starts_with("oordeel.test+")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_of_notes_splits_into_them_with_their_lines() {
        let (signer, _) = signer();
        let file = format!(
            "{}\n{}\n",
            checkpoint(1).sign(&signer).unwrap(),
            checkpoint(2).sign(&signer).unwrap()
        );
        let notes = split_file(&file);
        assert_eq!(notes.len(), 2);
        assert_eq!((notes[0].line, notes[1].line), (1, 8));
        assert_eq!(notes[1].text, checkpoint(2).sign(&signer).unwrap());
    }

    #[test]
    fn a_count_with_a_leading_zero_is_not_a_checkpoint() {
        let text = checkpoint(7).text().replace("\n7\n", "\n07\n");
        assert!(matches!(
            Checkpoint::parse(&text),
            Err(CheckpointError::NotACheckpoint(_))
        ));
    }
}
