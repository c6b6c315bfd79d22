//! The sentence each [`StoreError`] becomes: what went wrong, where, and what to do, in the
//! user's language.

use std::fmt;

use super::StoreError;
use crate::i18n::{self, t, tf};

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            StoreError::NotSqlite { path } => tf("error.not_sqlite", &[("path", &path.display())]),
            StoreError::Uninitialised { path } => {
                tf("error.uninitialised", &[("path", &path.display())])
            }
            StoreError::ForeignDatabase { path, found } => tf(
                "error.foreign",
                &[("path", &path.display()), ("found", &format!("{found:#x}"))],
            ),
            StoreError::NewerSchema { path, found, known } => tf(
                "error.newer_schema",
                &[
                    ("path", &path.display()),
                    ("found", found),
                    ("known", known),
                ],
            ),
            StoreError::Open { path, source } => tf(
                "error.open",
                &[("path", &path.display()), ("cause", source)],
            ),
            StoreError::Io { path, message } => format!("{}: {message}", path.display()),
            StoreError::NoSuchCase(id) => tf("error.no_case", &[("case", id)]),
            StoreError::AlreadyDecided {
                case,
                status,
                by,
                mine,
                decision,
            } => {
                let key = match (status.as_str(), mine) {
                    ("to_sign", true) => "error.to_sign_mine",
                    ("to_sign", false) => "error.to_sign_other",
                    (_, true) => "error.already_decided_mine",
                    (_, false) => "error.already_decided",
                };
                let decision = decision
                    .as_deref()
                    .map(|d| t(&format!("console.decision.{d}")).to_owned())
                    .unwrap_or_default();
                tf(
                    key,
                    &[
                        ("case", case),
                        ("status", &t(&format!("status.{status}"))),
                        ("by", &by.clone().unwrap_or_else(|| "?".to_owned())),
                        ("decision", &decision),
                    ],
                )
            }
            StoreError::NoModel => t("error.no_model").to_owned(),
            StoreError::NoSuchModelVersion(v) => tf("error.no_model_version", &[("version", v)]),
            StoreError::FeaturesRefused { version, why } => tf(
                "error.features_refused",
                &[("version", version), ("why", why)],
            ),
            StoreError::Halted { by, reason } => {
                tf("error.halted", &[("by", by), ("reason", reason)])
            }
            StoreError::AlreadyHalted { by, at } => tf(
                "error.already_halted",
                &[
                    ("by", by),
                    (
                        "at",
                        &crate::i18n::local_time(crate::i18n::lang(), at, true)
                            .unwrap_or_else(|| at.clone()),
                    ),
                ],
            ),
            StoreError::NotHalted => t("error.not_halted").to_string(),
            StoreError::JudgeFirst(case_id) => tf("error.judge_first", &[("case", case_id)]),
            StoreError::AlreadyJudged { case, judgment } => tf(
                "error.already_judged",
                &[
                    ("case", case),
                    ("judgment", &t(&format!("judgment.{judgment}"))),
                ],
            ),
            StoreError::NotJudgeFirst => t("error.not_judge_first").to_string(),
            StoreError::JudgeFirstByTeam(team) => {
                tf("error.judge_first_by_team", &[("team", team)])
            }
            StoreError::NoSuchTeam(team) => tf("error.no_such_team", &[("team", team)]),
            StoreError::OtherTeamSetting { asked, mine } => tf(
                "error.other_team_setting",
                &[("asked", asked), ("mine", mine)],
            ),
            StoreError::NoSuchHousehold(h) => tf("error.no_such_household", &[("household", h)]),
            StoreError::DuplicateSignals { seq, at, by } => tf(
                "error.duplicate_signals",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::RegisterOutdated { before, newest } => tf(
                "error.register_outdated",
                &[("before", before), ("newest", newest)],
            ),
            StoreError::PurgeTooRecent { before, latest } => tf(
                "error.purge_too_recent",
                &[
                    ("before", before),
                    ("latest", latest),
                    ("days", &crate::domain::retention::MIN_RETENTION_DAYS),
                ],
            ),
            StoreError::NoWaitingSignal(id) => tf("error.no_waiting_signal", &[("id", id)]),
            StoreError::SignalNamesNoOne(id) => tf("error.signal_names_no_one", &[("id", id)]),
            StoreError::BsnNeeded(id) => tf("error.bsn_needed", &[("id", id)]),
            StoreError::NewHouseholdFact {
                field,
                found,
                expected,
            } => {
                let key = match *field {
                    "--street" | "--city" if expected.starts_with("U+") => {
                        "error.new_household.hidden"
                    }
                    "--street" | "--city" => "error.new_household.text",
                    "--children" => "error.new_household.children",
                    _ => "error.new_household.unknown",
                };
                tf(
                    key,
                    &[("field", field), ("found", found), ("expected", expected)],
                )
            }
            StoreError::MatchContradicts {
                signal,
                household,
                differ,
            } => {
                let fields: Vec<&str> = differ
                    .iter()
                    .map(|f| t(&format!("error.match_field.{f}")))
                    .collect();
                let fields = if fields.is_empty() {
                    t("error.match_field.erased").to_owned()
                } else {
                    fields.join(", ")
                };
                tf(
                    "error.match_contradicts",
                    &[
                        ("id", signal),
                        ("household", household),
                        ("fields", &fields),
                    ],
                )
            }
            StoreError::BsnHeld { signal, household } => tf(
                "error.bsn_held",
                &[("id", signal), ("household", household)],
            ),
            StoreError::DuplicateHistory { seq, at, by } => tf(
                "error.duplicate_history",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::UnknownDistricts { file, found, known } => {
                let line = t("cli.households.line");
                let found: Vec<String> = found
                    .iter()
                    .map(|(name, at)| format!("`{name}` ({line} {at})"))
                    .collect();
                tf(
                    "error.unknown_districts",
                    &[
                        ("path", file),
                        ("found", &found.join(", ")),
                        ("known", &known.join(", ")),
                    ],
                )
            }
            StoreError::DuplicateHouseholds { seq, at, by } => tf(
                "error.duplicate_households",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::FeaturesDiffer { declared, profile } => tf(
                "error.features_differ",
                &[("declared", declared), ("profile", profile)],
            ),
            StoreError::TeamWithoutReviewers(team) => {
                tf("error.team_without_reviewers", &[("team", team)])
            }
            StoreError::NoteRequired(code) => tf("error.note_required", &[("reason", code)]),
            StoreError::StateDisagrees(d) => {
                let (stored, logged) = where_they_differ(d.stored.as_deref(), d.logged.as_deref());
                tf(
                    "error.state_disagrees",
                    &[
                        ("table", &d.table),
                        ("row", &d.row),
                        ("column", &d.column),
                        ("stored", &stored),
                        ("logged", &logged),
                    ],
                )
            }
            StoreError::NotASetting(key) => tf(
                "error.not_a_setting",
                &[
                    ("key", key),
                    ("keys", &crate::store::SETTABLE_SETTINGS.join(", ")),
                ],
            ),
            StoreError::BadSettingValue {
                key,
                value,
                expected,
            } => tf(
                "error.bad_setting_value",
                &[
                    ("key", key),
                    ("value", &one_line(Some(value))),
                    ("expected", expected),
                ],
            ),
            StoreError::PurgeNotOverwritten => t("error.purge_not_overwritten").to_string(),
            StoreError::Erased(on) => tf("error.erased", &[("on", &i18n::date(i18n::lang(), *on))]),
            StoreError::SameSupervisor { by } => tf("error.same_supervisor", &[("by", by)]),
            StoreError::EmptyReason => t("error.empty_reason").to_string(),
            StoreError::OwnModel { version, trainer } => tf(
                "error.own_model",
                &[("version", version), ("trainer", trainer)],
            ),
            StoreError::AlreadyApproved { version, by, at } => tf(
                "error.already_approved",
                &[
                    ("version", version),
                    ("by", by),
                    (
                        "at",
                        &i18n::local_time(i18n::lang(), at, true).unwrap_or_else(|| at.clone()),
                    ),
                ],
            ),
            StoreError::ModelNotApproved(v) => tf("error.model_not_approved", &[("version", v)]),
            StoreError::Empty(what) => tf("error.empty", &[("what", &t(what))]),
            StoreError::Sql(e) => tf("error.sql", &[("cause", e)]),
            StoreError::Corrupt(what) => tf("error.corrupt", &[("what", what)]),
            StoreError::AsNotOwner { owner, me } => {
                tf("error.as_not_owner", &[("owner", owner), ("me", me)])
            }
            StoreError::UnknownUser { name, admins } => tf(
                "error.unknown_user",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            StoreError::UserDisabled { name, admins } => tf(
                "error.user_disabled",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            StoreError::Forbidden { name, role, action } => tf(
                "error.forbidden",
                &[
                    ("name", name),
                    ("role", &t(&format!("role.{}", role.as_code()))),
                    ("action", &t(action)),
                ],
            ),
            StoreError::NotYourTeam(case) => tf("error.not_your_team", &[("case", case)]),
            StoreError::OtherTeam { asked, mine } => {
                tf("error.other_team", &[("asked", asked), ("mine", mine)])
            }
            StoreError::HeldBy {
                case,
                holder,
                until,
            } => tf(
                "error.held_by",
                &[
                    ("case", case),
                    ("holder", holder),
                    (
                        "until",
                        &i18n::local_time(i18n::lang(), until, false)
                            .unwrap_or_else(|| until.clone()),
                    ),
                ],
            ),
            StoreError::OwnDecision(case) => tf("error.own_decision", &[("case", case)]),
            StoreError::NotToSign(case) => tf("error.not_to_sign", &[("case", case)]),
            StoreError::OutcomeRefused { case, refusal } => outcome_refusal(case, refusal),
            StoreError::OutcomeRecorded(case) => tf("error.outcome_recorded", &[("case", case)]),
            StoreError::UserExists(name) => tf("error.user_exists", &[("name", name)]),
            StoreError::NoSuchUser(name) => tf("error.no_such_user", &[("name", name)]),
            StoreError::InvalidUserName(name) => tf("error.invalid_user_name", &[("name", name)]),
            StoreError::InvalidTeam(team) => tf("error.invalid_team", &[("team", team)]),
            StoreError::TeamRequired(role) => tf(
                "error.team_required",
                &[("role", &t(&format!("role.{}", role.as_code())))],
            ),
            StoreError::LastAdmin(name) => tf("error.last_admin", &[("name", name)]),
            StoreError::ActorChanged(name) => tf("error.actor_changed", &[("name", name)]),
            StoreError::FourEyes(what) => tf("error.four_eyes", &[("what", what)]),
            StoreError::FeatureRules(what) => tf("error.feature_rules", &[("what", what)]),
            StoreError::NoSuchFeature { name, known } => tf(
                "error.no_such_feature",
                &[("name", name), ("known", &known.join(", "))],
            ),
            StoreError::EmptyFeatureField { name, field } => tf(
                "error.empty_feature_field",
                &[
                    ("name", name),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                ],
            ),
            StoreError::EmptyTerm(term) => tf("error.empty_term", &[("term", term)]),
            StoreError::HiddenCharacter { what, field, code } => tf(
                "error.hidden_character",
                &[
                    ("what", what),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                    ("code", &format!("U+{code:04X}")),
                ],
            ),
            StoreError::DuplicateImport { id, at, by } => tf(
                "error.import.duplicate",
                &[
                    ("id", id),
                    ("by", by),
                    (
                        "at",
                        &i18n::local_time(i18n::lang(), at, true).unwrap_or_else(|| at.clone()),
                    ),
                ],
            ),
            StoreError::NoSuchImport(id) => tf("error.import.no_such", &[("id", id)]),
            StoreError::BadSetting { key, value } => {
                tf("error.bad_setting", &[("key", key), ("value", value)])
            }
        };
        f.write_str(&text)
    }
}

/// A stored or logged value in a message: one line, at most 60 characters (a rule file is
/// long), `-` for none.
pub fn one_line(value: Option<&str>) -> String {
    match value {
        None => "-".to_owned(),
        Some(v) => {
            let flat = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.chars().count() > 60 {
                format!("`{}…`", flat.chars().take(59).collect::<String>())
            } else {
                format!("`{flat}`")
            }
        }
    }
}

/// Two long values as [`one_line`] shows them, each from a little before the first place
/// they differ: two rule files agree for hundreds of characters, and the difference is what
/// the reader needs to see.
pub fn where_they_differ(stored: Option<&str>, logged: Option<&str>) -> (String, String) {
    let flat = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
    match (stored, logged) {
        (Some(s), Some(l)) => {
            let (s, l) = (flat(s), flat(l));
            let at = s
                .chars()
                .zip(l.chars())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| s.chars().count().min(l.chars().count()));
            let from = |t: &str| {
                if at > 20 {
                    format!("…{}", t.chars().skip(at - 20).collect::<String>())
                } else {
                    t.to_owned()
                }
            };
            (one_line(Some(&from(&s))), one_line(Some(&from(&l))))
        }
        (s, l) => (one_line(s), one_line(l)),
    }
}

fn outcome_refusal(case: &super::CaseRef, refusal: &super::super::OutcomeRefusal) -> String {
    use super::super::OutcomeRefusal;
    use crate::domain::outcome::StepRefusal;
    match refusal {
        OutcomeRefusal::NotForStatus(status) => tf(
            "error.outcome.status",
            &[
                ("case", case),
                (
                    "status",
                    &t(&format!("console.status_label.{}", status.as_code())),
                ),
            ],
        ),
        OutcomeRefusal::Order(StepRefusal::DebtsBeforeHelp) => {
            tf("error.outcome.debts_before_help", &[("case", case)])
        }
        OutcomeRefusal::Order(StepRefusal::DebtsKnown) => {
            tf("error.outcome.debts_known", &[("case", case)])
        }
        OutcomeRefusal::Order(StepRefusal::StageRecorded(step)) => tf(
            "error.outcome.recorded",
            &[
                ("case", case),
                ("step", &t(&format!("outcome.{}", step.as_code()))),
            ],
        ),
        OutcomeRefusal::Order(StepRefusal::BeforeHelp(day)) => tf(
            "error.outcome.before_help",
            &[("case", case), ("day", &day.to_string())],
        ),
        OutcomeRefusal::Day { opened } => tf(
            "error.outcome.day",
            &[("case", case), ("opened", &opened.to_string())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shown_from_where_they_differ() {
        let a = format!("{} rule = 1", "x ".repeat(100));
        let b = format!("{} rule = 2", "x ".repeat(100));
        let (s, l) = where_they_differ(Some(&a), Some(&b));
        assert!(
            s.contains("rule = 1") && l.contains("rule = 2"),
            "{s} / {l}"
        );
        assert_eq!(
            where_they_differ(None, Some("on")),
            ("-".into(), "`on`".into())
        );
    }
}
