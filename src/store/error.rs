//! Errors of the storage layer: what went wrong and where, as facts (`StoreError`, with the
//! rules' [`Refusal`]s apart from failures). The sentence each becomes in the user's language
//! is made at the edge, in `crate::messages`.

use std::fmt;
use std::path::PathBuf;

use crate::domain::role::Role;

/// A case as people know it: by its household's pseudonym, as the screen shows it (the
/// case number is the database's, not theirs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef {
    pub id: i64,
    /// `H-00860`; `case 860` only when the case has no household to name.
    pub household: String,
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.household)
    }
}

/// What went wrong in the store: a refusal (the rules said no, nothing was written, nothing is
/// broken, and the user can act on it) or a failure (the file, SQLite, or data that is not
/// what oordeel wrote). The console branches on [`Refusal`]s; failures it only reports.
#[derive(Debug)]
pub enum StoreError {
    /// The rules said no.
    Refused(Refusal),
    NotSqlite {
        path: PathBuf,
    },
    /// An empty file: not (or no longer) an oordeel database.
    Uninitialised {
        path: PathBuf,
    },
    ForeignDatabase {
        path: PathBuf,
        found: i64,
    },
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    Io {
        path: PathBuf,
        failure: IoFailure,
    },
    /// A state table's row is not what the log says (edited by hand): nothing was done.
    StateDisagrees(Box<super::Disagreement>),
    /// The purge committed, but the file could not be rewritten (another process held the
    /// database): erased bytes may still be in its free space or WAL until a purge runs again.
    PurgeNotOverwritten,
    Sql(rusqlite::Error),
    Corrupt(String),
    /// The four-eyes rule in the settings table does not parse.
    FourEyes(String),
    /// The forbidden-feature rules in the settings table do not parse.
    FeatureRules(String),
    /// A setting in the settings table has a value oordeel cannot use.
    BadSetting {
        key: &'static str,
        value: String,
    },
}

/// A request the rules refuse, as a fact: who holds the case, which role may, what is missing.
/// The sentence it becomes, in the user's language, is made at the edge.
#[derive(Debug)]
pub enum Refusal {
    NoSuchCase(i64),
    /// The case was decided already: by `by` (the actor when `mine`), in `status`; for a
    /// case waiting for a signature, `decision` is the decision that waits.
    AlreadyDecided {
        case: CaseRef,
        status: String,
        by: Option<String>,
        mine: bool,
        decision: Option<String>,
    },
    NoModel,
    NoSuchModelVersion(i64),
    /// A model version was approved by the admin who trained it.
    /// A version whose features today's rules or documentation refuse cannot be approved.
    FeaturesRefused {
        version: i64,
        why: String,
    },
    /// The model is halted: no scoring until a second supervisor resumes it.
    Halted {
        by: String,
        reason: String,
    },
    AlreadyHalted {
        by: String,
        at: String,
    },
    NotHalted,
    /// Whoever halted may not resume: a second person must.
    SameSupervisor {
        by: String,
    },
    /// A halt without a reason.
    EmptyReason,
    /// Judge-first mode: a decision before the reviewer's initial judgment of the case.
    JudgeFirst(CaseRef),
    /// A second initial judgment of the same case.
    AlreadyJudged {
        case: CaseRef,
        judgment: String,
    },
    /// An initial judgment from a reviewer not working judge-first.
    NotJudgeFirst,
    /// Turning judge-first off while one's team works judge-first.
    JudgeFirstByTeam(String),
    /// A team no user or case belongs to.
    NoSuchTeam(String),
    /// A supervisor tried to change another team's setting.
    OtherTeamSetting {
        asked: String,
        mine: String,
    },
    /// No household with this pseudonym.
    NoSuchHousehold(String),
    /// The same signal file was imported before (event, at, by).
    DuplicateSignals {
        seq: i64,
        at: String,
        by: String,
    },
    /// `purge --before` a date less than six months ago: `latest` is the latest allowed.
    PurgeTooRecent {
        before: chrono::NaiveDate,
        latest: chrono::NaiveDate,
    },
    /// The newest extract is older than the purge date: who the register still holds is
    /// unknown, so households it holds would be erased too.
    RegisterOutdated {
        before: chrono::NaiveDate,
        newest: String,
    },
    /// No signal waits under this number (never, or it was placed already).
    NoWaitingSignal(i64),
    /// A waiting signal without name and address cannot make a household.
    SignalNamesNoOne(i64),
    /// A household made for a signal without a BSN needs one from the register.
    BsnNeeded(i64),
    /// A fact typed for a new household that no extract row could have: `expected` is the
    /// codes allowed, the composition, or the hidden character found.
    NewHouseholdFact {
        field: &'static str,
        found: String,
        expected: String,
    },
    /// A household made for a signal would share its BSN with one there is: one person,
    /// one household.
    BsnHeld {
        signal: i64,
        household: String,
    },
    /// A waiting signal matched by hand to a household its person cannot be (another BSN,
    /// or nothing the creditor gave agreeing), without `--confirm`.
    MatchContradicts {
        signal: i64,
        household: String,
        differ: Vec<&'static str>,
    },
    /// The same history file imported before.
    DuplicateHistory {
        seq: i64,
        at: String,
        by: String,
    },
    /// The same household extract imported before.
    /// A later extract names districts or teams the caseload has never had, not declared
    /// new: `found` is each with the first line it is on.
    UnknownDistricts {
        file: String,
        found: Vec<(String, u64)>,
        known: Vec<String>,
    },
    DuplicateHouseholds {
        seq: i64,
        at: String,
        by: String,
    },
    /// A household profile choosing other features than the database declared.
    FeaturesDiffer {
        declared: String,
        profile: String,
    },
    /// A case reassigned to a team with no active reviewer or senior.
    TeamWithoutReviewers(String),
    /// A rejection for a reason that needs a note ("other"), without one.
    NoteRequired(String),
    /// `settings set` of a key that is not an admin's to set.
    NotASetting(String),
    /// `settings set` of a value the setting's reader could not use.
    BadSettingValue {
        key: String,
        value: String,
        expected: SettingExpects,
    },
    /// The household's personal data was erased by a purge on this day.
    Erased(chrono::NaiveDate),
    OwnModel {
        version: i64,
        trainer: String,
    },
    AlreadyApproved {
        version: i64,
        by: String,
        at: String,
    },
    /// Scoring with a version nobody approved.
    ModelNotApproved(i64),
    /// The database lacks something a command needs (`what` is an i18n key).
    Empty(&'static str),
    /// `--as` from an account that does not own the database file.
    AsNotOwner {
        owner: String,
        me: String,
    },
    UnknownUser {
        name: String,
        admins: Vec<String>,
    },
    UserDisabled {
        name: String,
        admins: Vec<String>,
    },
    /// The role does not allow the action (`action` is an i18n key).
    Forbidden {
        name: String,
        role: Role,
        action: &'static str,
    },
    /// The case belongs to another team than the actor's.
    NotYourTeam(CaseRef),
    /// A supervisor asked for a report on another team than their own.
    OtherTeam {
        asked: String,
        mine: String,
    },
    /// Someone else has the case open.
    HeldBy {
        case: CaseRef,
        holder: String,
        until: String,
    },
    /// The first reviewer of a four-eyes decision tried to sign it too.
    OwnDecision(CaseRef),
    NotToSign(CaseRef),
    /// An outcome step refused on this case (see the refusal).
    OutcomeRefused {
        case: CaseRef,
        refusal: super::outcomes::OutcomeRefusal,
    },
    /// Undo of a decision whose case has an outcome recorded: the outcome goes first.
    OutcomeRecorded(CaseRef),
    UserExists(String),
    NoSuchUser(String),
    InvalidUserName(String),
    InvalidTeam(String),
    TeamRequired(Role),
    LastAdmin(String),
    /// The user's role or team changed since the session began.
    ActorChanged(String),
    /// A feature name that is not in the caseload's feature list.
    NoSuchFeature {
        name: String,
        known: Vec<String>,
    },
    /// A feature's source, legal basis or description left empty.
    EmptyFeatureField {
        name: String,
        field: &'static str,
    },
    /// A term to forbid without a letter or digit in it.
    EmptyTerm(String),
    /// A control, bidi or invisible character in text kept for people to read.
    HiddenCharacter {
        what: String,
        field: &'static str,
        code: u32,
    },
    /// The same file was imported through the same profile before.
    DuplicateImport {
        id: i64,
        at: String,
        by: String,
    },
    NoSuchImport(i64),
}

/// What a setting's value must be, for the refusal of one that is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingExpects {
    /// What the setting's key reads (its description in the user's language).
    OfKey,
    /// Four-eyes rules in TOML; `cause` is the parser's (TOML's own words).
    FourEyesRules { cause: String },
    /// Rules that ask no second signature at all, not written out as `rule = []`.
    FourEyesNotEmpty,
}

/// Why the database file could not be used, as a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IoFailure {
    Missing,
    /// The account `me` may not read and write the file.
    NoAccess {
        me: String,
    },
    IsDirectory,
    /// Anything else, in the operating system's words.
    Os(String),
}

impl From<Refusal> for StoreError {
    fn from(refusal: Refusal) -> Self {
        StoreError::Refused(refusal)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Open { source, .. } | StoreError::Sql(source) => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
