//! Numbered schema migrations. `PRAGMA user_version` holds the number of the last one applied;
//! `PRAGMA application_id` marks the file as oordeel's, so a foreign database is refused.
//!
//! Never edit a migration that has shipped: add the next one.

use rusqlite::Transaction;

/// "OORD" in ASCII: written into the SQLite header of every oordeel database.
pub const APPLICATION_ID: i64 = 0x4F4F_5244;

/// The migrations in order; migration `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: &[&str] = &[
    // 1: households, personal data kept apart, protected attributes kept apart, signals,
    //    cases (the queue), model versions, scores, and the append-only event log.
    r#"
CREATE TABLE households (
    id                     INTEGER PRIMARY KEY,
    pseudonym              TEXT NOT NULL UNIQUE,
    household_type         TEXT NOT NULL,
    children               INTEGER NOT NULL,
    income_source          TEXT NOT NULL,
    district               TEXT NOT NULL,
    earlier_debt_help      INTEGER NOT NULL,
    known_to_district_team INTEGER NOT NULL,
    wmo_youth_support      INTEGER NOT NULL
) STRICT;

-- Identifying data: shown only after a logged reveal, erasable without touching the log.
CREATE TABLE personal_data (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    name         TEXT NOT NULL,
    bsn          TEXT NOT NULL,
    address      TEXT NOT NULL,
    birth_date   TEXT NOT NULL
) STRICT;

-- For the fairness audit only: no query that feeds the model reads this table.
CREATE TABLE protected_attributes (
    household_id         INTEGER PRIMARY KEY REFERENCES households(id),
    gender               TEXT NOT NULL,
    age_band             TEXT NOT NULL,
    migration_background TEXT NOT NULL
) STRICT;

-- The demo's hidden truth, for evaluating the model and the reviewers; never a feature.
CREATE TABLE demo_truth (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    latent_need  REAL NOT NULL
) STRICT;

CREATE TABLE signals (
    id                INTEGER PRIMARY KEY,
    household_id      INTEGER NOT NULL REFERENCES households(id),
    creditor_type     TEXT NOT NULL,
    creditor          TEXT NOT NULL,
    amount_cents      INTEGER NOT NULL,
    months_in_arrears INTEGER NOT NULL,
    received_on       TEXT NOT NULL,
    end_of_supply_on  TEXT,
    threat            INTEGER NOT NULL
) STRICT;
CREATE INDEX signals_by_household ON signals(household_id, received_on);

-- One case per household and month of signals. `status` and `queue_rank` are kept in step
-- with the event log and the latest scoring run inside the same transactions, so the queue
-- can be read a window at a time through the indexes below.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    household_id     INTEGER NOT NULL REFERENCES households(id),
    team             TEXT NOT NULL,
    opened_on        TEXT NOT NULL,
    deadline_on      TEXT NOT NULL,
    urgent           INTEGER NOT NULL,
    multiple_signals INTEGER NOT NULL,
    repeated_signal  INTEGER NOT NULL,
    status           TEXT NOT NULL,
    outcome          INTEGER,
    features         TEXT NOT NULL,
    selection        TEXT NOT NULL DEFAULT 'ranked',
    queue_rank       INTEGER NOT NULL DEFAULT 9223372036854775807,
    probability      REAL
) STRICT;
CREATE INDEX cases_queue_open ON cases(status, queue_rank, id);
-- Partial: the "show decided too" view never wades through the historical cases.
CREATE INDEX cases_queue_all ON cases(queue_rank, id) WHERE status != 'closed';
CREATE INDEX cases_by_household ON cases(household_id);

CREATE TABLE model_versions (
    version            INTEGER PRIMARY KEY,
    algorithm          TEXT NOT NULL,
    features           TEXT NOT NULL, -- JSON list of feature names, the contributions' order
    spec               TEXT NOT NULL,
    intercept          REAL NOT NULL,
    auc                REAL NOT NULL,
    brier              REAL NOT NULL,
    log_loss           REAL NOT NULL,
    training_data_hash TEXT NOT NULL,
    trained_at         TEXT NOT NULL,
    trained_by         TEXT NOT NULL
) STRICT;

CREATE TABLE scoring_runs (
    id            INTEGER PRIMARY KEY,
    model_version INTEGER NOT NULL REFERENCES model_versions(version),
    at            TEXT NOT NULL,
    cases         INTEGER NOT NULL
) STRICT;

-- Contributions are the model's exact per-feature log-odds shares, stored as little-endian
-- f64 in the order of the model version's feature list: bit-exact and compact.
CREATE TABLE scores (
    run_id        INTEGER NOT NULL REFERENCES scoring_runs(id),
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    logit         REAL NOT NULL,
    probability   REAL NOT NULL,
    rank          INTEGER NOT NULL,
    contributions BLOB NOT NULL,
    PRIMARY KEY (case_id, run_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    case_id   INTEGER,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_case ON events(case_id, seq);
CREATE INDEX events_by_actor ON events(actor, kind, seq);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"#,
    // 2: users with roles and teams, claims on cases with a lease, the four-eyes queue, and
    //    queue indexes per team (a reviewer reads only their team's queue).
    r#"
CREATE TABLE users (
    name     TEXT PRIMARY KEY,
    role     TEXT NOT NULL,
    team     TEXT,
    active   INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
) STRICT;

-- Who has a case open. A claim lapses at `expires_at` (RFC 3339 UTC, compared as text);
-- the console renews it while the case stays open. State, not history: the history is in
-- the view and claim_released events.
CREATE TABLE claims (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    holder     TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX claims_by_holder ON claims(holder);

CREATE INDEX cases_queue_team ON cases(team, status, queue_rank, id);
CREATE INDEX cases_queue_team_all ON cases(team, queue_rank, id) WHERE status != 'closed';
"#,
    // 3: model governance. Feature metadata (what each feature means, where it comes from, on
    //    what legal basis, who approved it); approval of model versions by a second person;
    //    each version's held-out evaluation and proxy check (JSON, for `model show` and the
    //    model card); and the hash of the feature vector each score was computed from, so
    //    `explain` can reproduce a score bit for bit.
    r#"
CREATE TABLE feature_metadata (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    description TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL
) STRICT;

-- NULL until an admin other than the trainer approves; `score` refuses an unapproved version.
ALTER TABLE model_versions ADD COLUMN approved_by TEXT;
ALTER TABLE model_versions ADD COLUMN approved_at TEXT;
ALTER TABLE model_versions ADD COLUMN evaluation TEXT;
ALTER TABLE model_versions ADD COLUMN proxy_check TEXT;

-- Empty for scores written before this migration.
ALTER TABLE scores ADD COLUMN features_hash TEXT NOT NULL DEFAULT '';
"#,
    // 4: oversight at scoring time. How many open cases each run drew into the hidden random
    //    arm, and the run's drift against the model's reference data (JSON, `domain::drift`;
    //    NULL when there was no reference to compare with).
    r#"
ALTER TABLE scoring_runs ADD COLUMN random_arm INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scoring_runs ADD COLUMN drift TEXT;
"#,
    // 5: orders of the queue without the model: arrival (day opened, then case number) for
    //    judge-first mode, and nearest deadline first; read a window at a time like the
    //    ranked queue.
    r#"
CREATE INDEX cases_arrival ON cases(status, opened_on, id);
CREATE INDEX cases_arrival_team ON cases(team, status, opened_on, id);
CREATE INDEX cases_deadline ON cases(status, deadline_on, id);
CREATE INDEX cases_deadline_team ON cases(team, status, deadline_on, id);
"#,
    // 6: imported caseloads (`oordeel import`, see `store::imports`). An import has whatever
    //    columns its profile names, so its records are not households: features as JSON,
    //    protected attributes and personal data kept apart as in migration 1. One file
    //    through one profile is imported once.
    r#"
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    file_sha256     TEXT NOT NULL,
    profile_name    TEXT NOT NULL,
    profile_sha256  TEXT NOT NULL,
    profile         TEXT NOT NULL, -- the profile's text as used: the roles of the columns
    encoding        TEXT NOT NULL,
    delimiter       TEXT NOT NULL,
    rows_read       INTEGER NOT NULL,
    records         INTEGER NOT NULL,
    score_direction TEXT,          -- 'higher' or 'lower' comes first; NULL: no score
    event_seq       INTEGER NOT NULL,
    UNIQUE (file_sha256, profile_sha256)
) STRICT;

CREATE TABLE import_records (
    import_id      INTEGER NOT NULL REFERENCES imports(id),
    external_id    TEXT NOT NULL,
    line           INTEGER NOT NULL,
    team           TEXT,
    features       TEXT NOT NULL, -- JSON object: column -> number, text or null
    outcome        INTEGER,       -- 1, 0, or NULL: unknown
    external_score REAL,
    display        TEXT NOT NULL, -- JSON object, shown to reviewers, never a feature
    PRIMARY KEY (import_id, external_id)
) STRICT;
CREATE INDEX import_records_by_team ON import_records(import_id, team);

-- For the fairness audit only: no query that feeds a model reads this table.
CREATE TABLE import_protected (
    import_id   INTEGER NOT NULL,
    external_id TEXT NOT NULL,
    attributes  TEXT NOT NULL, -- JSON object
    PRIMARY KEY (import_id, external_id),
    FOREIGN KEY (import_id, external_id) REFERENCES import_records(import_id, external_id)
) STRICT;

-- Identifying data: shown only after a logged reveal, erasable without touching the log.
CREATE TABLE import_personal (
    import_id   INTEGER NOT NULL,
    external_id TEXT NOT NULL,
    fields      TEXT NOT NULL, -- JSON object; a BSN in its nine canonical digits
    PRIMARY KEY (import_id, external_id),
    FOREIGN KEY (import_id, external_id) REFERENCES import_records(import_id, external_id)
) STRICT;
"#,
    // 7: retention (`oordeel purge`). New events carry the SHA-256 of their payload, which their
    // hash covers instead of the payload (the v2 encoding, `domain::event`), so a purge can
    // erase a note's text without breaking the chain. Which households were erased, when and
    // by which purge event, so every screen can say "erased on DATE" instead of failing.
    //
    // The update trigger is narrowed to exactly one change, rather than dropped and recreated
    // by the purge inside its transaction: the database itself then refuses every UPDATE but
    // the erasure of a v2 note or send-back older than 183 days whose every other column stays
    // as it was, and which a `purge` event later in the log claims (`erased_by`). Dropping
    // the trigger would leave the whole table open to whatever that transaction does, and a
    // bug there (or a crash between drop and create in code that forgot the transaction)
    // would silently remove the guard. An erasure no purge lists is still possible through
    // this opening by someone with the sqlite3 shell, but so is dropping the trigger; `verify`
    // names it either way, because the purge event records the digest of each replacement.
    r#"
ALTER TABLE events ADD COLUMN payload_digest TEXT;

CREATE TABLE erasures (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    purge_seq    INTEGER NOT NULL,
    erased_at    TEXT NOT NULL
) STRICT;

DROP TRIGGER events_refuse_update;
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
WHEN NOT (
        OLD.payload_digest IS NOT NULL
    AND NEW.payload_digest IS OLD.payload_digest
    AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor
    AND NEW.role IS OLD.role AND NEW.kind IS OLD.kind AND NEW.case_id IS OLD.case_id
    AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
    AND OLD.kind IN ('note', 'sent_back')
    AND json_extract(OLD.payload, '$.erased_by') IS NULL
    AND json_valid(NEW.payload)
    AND json_extract(NEW.payload, '$.text') IS NULL
    AND julianday(OLD.at) <= julianday('now') - 183
    AND EXISTS (SELECT 1 FROM events p
                WHERE p.seq = json_extract(NEW.payload, '$.erased_by')
                  AND p.kind = 'purge' AND p.seq > OLD.seq)
)
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
"#,
    // 8: decisions by time, for the stats view's "since" and the oversight reports: without
    //    it every such read scanned the whole log.
    r#"
CREATE INDEX events_by_kind_time ON events(kind, at);
"#,
    // 9: the state tables answer to the log (`store::replay`). Every change of a setting is an
    //    event from now on; `Store::upgrade` records what the settings table holds as this
    //    version first opens the database (`settings_recorded`), the start of that history.
    //    Nothing in the schema changes.
    r#"
SELECT 1;
"#,
    // 10: a municipality's own households (`households import`). Each household's key in the
    //     municipality's systems (a client number or the head's BSN: personal data, kept
    //     apart and erased with the rest); postcode and house number in the forms signals are
    //     matched in (`domain::address`; filled from the address for earlier rows by
    //     `Store::upgrade`), indexed with the BSN for that matching; the team that handles a
    //     household's cases when it is not its district; and the signals no household matched,
    //     waiting for an admin (`signals unmatched`).
    r#"
ALTER TABLE personal_data ADD COLUMN postcode TEXT;
ALTER TABLE personal_data ADD COLUMN house_number TEXT;
CREATE INDEX personal_data_by_bsn ON personal_data(bsn);
CREATE INDEX personal_data_by_address ON personal_data(postcode, house_number, birth_date);
ALTER TABLE households ADD COLUMN team TEXT;

-- `last_seen`: the day of the last extract that held the household (YYYY-MM-DD); a purge
-- leaves the personal data of households the register still holds.
CREATE TABLE household_keys (
    key          TEXT PRIMARY KEY,
    household_id INTEGER NOT NULL UNIQUE REFERENCES households(id),
    last_seen    TEXT NOT NULL
) STRICT;

-- One signal of a file that matched no household, or more than one: never dropped, never
-- guessed. `identity` is how the creditor named the person (personal data: erased by a purge
-- like the rest); `resolved_seq` the event that matched it or made its household.
CREATE TABLE unmatched_signals (
    id           INTEGER PRIMARY KEY,
    import_seq   INTEGER NOT NULL,
    file         TEXT NOT NULL,
    line         INTEGER NOT NULL,
    signal       TEXT NOT NULL, -- JSON: the signal (`domain::household::Signal`)
    identity     TEXT NOT NULL, -- JSON: bsn, name, postcode, house_number, birth_date
    problem      TEXT NOT NULL, -- 'no_match' or 'ambiguous'
    candidates   TEXT,          -- JSON list of pseudonyms, for an ambiguous match
    resolved_seq INTEGER
) STRICT;
CREATE INDEX unmatched_signals_open ON unmatched_signals(resolved_seq, id);
"#,
    // 11: the learning loop (`store::outcomes`). What the outreach found for a decided case,
    //     folded from its standing `outcome` events (the log is the record; `verify` replays
    //     it); `cases.outcome` then holds the label it gives, as it does for a history case.
    //     `scored_features`: an undecided case's features as the latest scoring run scored
    //     them, so a model learns from a case as it was scored, not as a later extract
    //     changed it. `model_versions.labels`: where a version's labels came from, how it
    //     corrected for selective labels, its evaluation on the random arm (JSON,
    //     `model::labels`), and the cases it was fitted on.
    r#"
ALTER TABLE cases ADD COLUMN scored_features TEXT;

CREATE TABLE outcomes (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    contact    TEXT,    -- 'not_reached', 'declined' or 'help_accepted'
    contact_on TEXT,
    debts      TEXT,    -- 'debts_confirmed' or 'no_problematic_debts'
    debts_on   TEXT
) STRICT;

ALTER TABLE model_versions ADD COLUMN labels TEXT;
-- The cases a version was fitted and calibrated on, as a bitset over case numbers (bit i of
-- byte i / 8): a later version is compared with it on cases it never saw.
ALTER TABLE model_versions ADD COLUMN trained_on BLOB;
"#,
    // 12: cases per team and status, kept by triggers in the transaction that changes a case:
    //     the console's header reads a handful of rows instead of counting an index after
    //     every decision, which grew with the queue (22 ms a decision at 1,000,000
    //     households). And the drift watch's reference with each model version.
    r#"
CREATE TABLE case_counts (
    team   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (team, status)
) STRICT, WITHOUT ROWID;
INSERT INTO case_counts (team, status, n) SELECT team, status, count(*) FROM cases GROUP BY 1, 2;
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_counts (team, status, n) VALUES (NEW.team, NEW.status, 1)
        ON CONFLICT (team, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
    UPDATE case_counts SET n = n - 1 WHERE team = OLD.team AND status = OLD.status;
END;
CREATE TRIGGER case_counts_update AFTER UPDATE OF team, status ON cases
    WHEN OLD.team IS NOT NEW.team OR OLD.status IS NOT NEW.status BEGIN
    UPDATE case_counts SET n = n - 1 WHERE team = OLD.team AND status = OLD.status;
    INSERT INTO case_counts (team, status, n) VALUES (NEW.team, NEW.status, 1)
        ON CONFLICT (team, status) DO UPDATE SET n = n + 1;
END;

-- The drift watch's reference, taken from the training data when a version is trained (JSON,
-- `domain::drift_reference`): scoring tallies its cases into these bins instead of reading
-- every labelled case again. Versions trained before have none and are compared as before.
ALTER TABLE model_versions ADD COLUMN drift_reference TEXT;

-- The queue's indexes (ranked, by arrival, by deadline) hold the cases under review only, as
-- the "decided too" ones did already: closed history cases are never in a queue, and at a
-- million households they were two thirds of every entry a scoring run rewrote and of every
-- index a first load builds. A case that closes leaves the ranking at
-- once (no path of oordeel closes a reviewed case; this keeps the rule if one does).
DROP INDEX cases_queue_open;
CREATE INDEX cases_queue_open ON cases(status, queue_rank, id) WHERE status != 'closed';
DROP INDEX cases_queue_team;
CREATE INDEX cases_queue_team ON cases(team, status, queue_rank, id) WHERE status != 'closed';
DROP INDEX cases_arrival;
CREATE INDEX cases_arrival ON cases(status, opened_on, id) WHERE status != 'closed';
DROP INDEX cases_arrival_team;
CREATE INDEX cases_arrival_team ON cases(team, status, opened_on, id) WHERE status != 'closed';
DROP INDEX cases_deadline;
CREATE INDEX cases_deadline ON cases(status, deadline_on, id) WHERE status != 'closed';
DROP INDEX cases_deadline_team;
CREATE INDEX cases_deadline_team ON cases(team, status, deadline_on, id) WHERE status != 'closed';
UPDATE cases SET queue_rank = 9223372036854775807, probability = NULL
WHERE status = 'closed' AND queue_rank != 9223372036854775807;
CREATE TRIGGER cases_closed_leave_the_ranking AFTER UPDATE OF status ON cases
    WHEN NEW.status = 'closed' AND OLD.status != 'closed' BEGIN
    UPDATE cases SET queue_rank = 9223372036854775807, probability = NULL WHERE id = NEW.id;
END;
"#,
    // 13: search (the console's `/`). Full-text indexes of people's names and addresses and
    //     of notes, contentless (the text stays where it is; the index holds only tokens)
    //     and with secure-delete, so that a purge's erasure leaves no token behind; kept by
    //     triggers, so that no path that writes or erases personal data or a note can forget
    //     them. The creditors by name, for a search by creditor without a scan of the signals.
    r#"
CREATE VIRTUAL TABLE search_people USING fts5(name, address, content = '',
    contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO search_people (search_people, rank) VALUES ('secure-delete', 1);
INSERT INTO search_people (rowid, name, address)
    SELECT household_id, name, address FROM personal_data;
CREATE TRIGGER search_people_insert AFTER INSERT ON personal_data BEGIN
    INSERT INTO search_people (rowid, name, address)
        VALUES (NEW.household_id, NEW.name, NEW.address);
END;
CREATE TRIGGER search_people_update AFTER UPDATE OF name, address ON personal_data BEGIN
    DELETE FROM search_people WHERE rowid = OLD.household_id;
    INSERT INTO search_people (rowid, name, address)
        VALUES (NEW.household_id, NEW.name, NEW.address);
END;
CREATE TRIGGER search_people_delete AFTER DELETE ON personal_data BEGIN
    DELETE FROM search_people WHERE rowid = OLD.household_id;
END;

CREATE VIRTUAL TABLE search_notes USING fts5(text, content = '',
    contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO search_notes (search_notes, rank) VALUES ('secure-delete', 1);
INSERT INTO search_notes (rowid, text)
    SELECT seq, json_extract(payload, '$.text') FROM events
    WHERE kind IN ('note', 'sent_back') AND json_extract(payload, '$.text') IS NOT NULL;
CREATE TRIGGER search_notes_insert AFTER INSERT ON events
    WHEN NEW.kind IN ('note', 'sent_back') AND json_extract(NEW.payload, '$.text') IS NOT NULL
BEGIN
    INSERT INTO search_notes (rowid, text) VALUES (NEW.seq, json_extract(NEW.payload, '$.text'));
END;
CREATE TRIGGER search_notes_erase AFTER UPDATE OF payload ON events
    WHEN OLD.kind IN ('note', 'sent_back') AND json_extract(NEW.payload, '$.text') IS NULL
BEGIN
    DELETE FROM search_notes WHERE rowid = OLD.seq;
END;

CREATE TABLE creditors (name TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO creditors (name) SELECT DISTINCT creditor FROM signals;
CREATE TRIGGER creditors_insert AFTER INSERT ON signals BEGIN
    INSERT OR IGNORE INTO creditors (name) VALUES (NEW.creditor);
END;
CREATE INDEX signals_by_creditor ON signals(creditor, household_id);
"#,
];

/// The schema version this program writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Applies every migration after `from` in the caller's transaction (`Store::upgrade`), which
/// read `from` under the write lock; the version moves with each one.
pub fn migrate(tx: &Transaction<'_>, from: i64) -> rusqlite::Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        if i == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use crate::domain::retention::MIN_RETENTION_DAYS;

    /// The update trigger repeats the minimum retention in SQL; the two must agree.
    #[test]
    fn the_trigger_keeps_the_minimum_retention() {
        let floor = format!("julianday('now') - {MIN_RETENTION_DAYS}");
        assert!(MIGRATIONS.iter().any(|m| m.contains(&floor)));
    }
}
