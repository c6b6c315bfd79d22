//! The sentence each [`StoreError`] becomes: what went wrong, where, and what to do, in the
//! user's language.

use std::fmt;

use crate::i18n::{self, t, tf};
use crate::store::{CaseRef, IoFailure, OutcomeRefusal, Refusal, SettingExpects, StoreError};

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
            StoreError::Io { path, failure } => {
                let why = match failure {
                    IoFailure::Missing => t("error.missing").to_owned(),
                    IoFailure::NoAccess { me } => tf("error.no_access", &[("me", me)]),
                    IoFailure::IsDirectory => t("error.is_directory").to_owned(),
                    IoFailure::Os(message) => message.clone(),
                };
                format!("{}: {why}", path.display())
            }
            StoreError::Refused(Refusal::NoSuchCase(id)) => tf("error.no_case", &[("case", id)]),
            StoreError::Refused(Refusal::AlreadyDecided {
                case,
                status,
                by,
                mine,
                decision,
            }) => {
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
            StoreError::Refused(Refusal::NoModel) => t("error.no_model").to_owned(),
            StoreError::Refused(Refusal::NoSuchModelVersion(v)) => {
                tf("error.no_model_version", &[("version", v)])
            }
            StoreError::Refused(Refusal::FeaturesRefused { version, why }) => tf(
                "error.features_refused",
                &[("version", version), ("why", why)],
            ),
            StoreError::Refused(Refusal::Halted { by, reason }) => {
                tf("error.halted", &[("by", by), ("reason", reason)])
            }
            StoreError::Refused(Refusal::AlreadyHalted { by, at }) => tf(
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
            StoreError::Refused(Refusal::NotHalted) => t("error.not_halted").to_string(),
            StoreError::Refused(Refusal::JudgeFirst(case_id)) => {
                tf("error.judge_first", &[("case", case_id)])
            }
            StoreError::Refused(Refusal::AlreadyJudged { case, judgment }) => tf(
                "error.already_judged",
                &[
                    ("case", case),
                    ("judgment", &t(&format!("judgment.{judgment}"))),
                ],
            ),
            StoreError::Refused(Refusal::NotJudgeFirst) => t("error.not_judge_first").to_string(),
            StoreError::Refused(Refusal::JudgeFirstByTeam(team)) => {
                tf("error.judge_first_by_team", &[("team", team)])
            }
            StoreError::Refused(Refusal::NoSuchTeam(team)) => {
                tf("error.no_such_team", &[("team", team)])
            }
            StoreError::Refused(Refusal::OtherTeamSetting { asked, mine }) => tf(
                "error.other_team_setting",
                &[("asked", asked), ("mine", mine)],
            ),
            StoreError::Refused(Refusal::NoSuchHousehold(h)) => {
                tf("error.no_such_household", &[("household", h)])
            }
            StoreError::Refused(Refusal::DuplicateSignals { seq, at, by }) => tf(
                "error.duplicate_signals",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::Refused(Refusal::RegisterOutdated { before, newest }) => tf(
                "error.register_outdated",
                &[("before", before), ("newest", newest)],
            ),
            StoreError::Refused(Refusal::PurgeTooRecent { before, latest }) => tf(
                "error.purge_too_recent",
                &[
                    ("before", before),
                    ("latest", latest),
                    ("days", &crate::domain::retention::MIN_RETENTION_DAYS),
                ],
            ),
            StoreError::Refused(Refusal::NoWaitingSignal(id)) => {
                tf("error.no_waiting_signal", &[("id", id)])
            }
            StoreError::Refused(Refusal::SignalNamesNoOne(id)) => {
                tf("error.signal_names_no_one", &[("id", id)])
            }
            StoreError::Refused(Refusal::BsnNeeded(id)) => tf("error.bsn_needed", &[("id", id)]),
            StoreError::Refused(Refusal::NewHouseholdFact {
                field,
                found,
                expected,
            }) => {
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
            StoreError::Refused(Refusal::MatchContradicts {
                signal,
                household,
                differ,
            }) => {
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
            StoreError::Refused(Refusal::BsnHeld { signal, household }) => tf(
                "error.bsn_held",
                &[("id", signal), ("household", household)],
            ),
            StoreError::Refused(Refusal::DuplicateHistory { seq, at, by }) => tf(
                "error.duplicate_history",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::Refused(Refusal::UnknownDistricts { file, found, known }) => {
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
            StoreError::Refused(Refusal::DuplicateHouseholds { seq, at, by }) => tf(
                "error.duplicate_households",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            StoreError::Refused(Refusal::FeaturesDiffer { declared, profile }) => tf(
                "error.features_differ",
                &[("declared", declared), ("profile", profile)],
            ),
            StoreError::Refused(Refusal::TeamWithoutReviewers(team)) => {
                tf("error.team_without_reviewers", &[("team", team)])
            }
            StoreError::Refused(Refusal::NoteRequired(code)) => {
                tf("error.note_required", &[("reason", code)])
            }
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
            StoreError::Refused(Refusal::NotASetting(key)) => tf(
                "error.not_a_setting",
                &[
                    ("key", key),
                    ("keys", &crate::store::SETTABLE_SETTINGS.join(", ")),
                ],
            ),
            StoreError::Refused(Refusal::BadSettingValue {
                key,
                value,
                expected,
            }) => tf(
                "error.bad_setting_value",
                &[
                    ("key", key),
                    ("value", &one_line(Some(value))),
                    ("expected", &setting_expects(key, expected)),
                ],
            ),
            StoreError::PurgeNotOverwritten => t("error.purge_not_overwritten").to_string(),
            StoreError::Refused(Refusal::Erased(on)) => {
                tf("error.erased", &[("on", &i18n::date(i18n::lang(), *on))])
            }
            StoreError::Refused(Refusal::SameSupervisor { by }) => {
                tf("error.same_supervisor", &[("by", by)])
            }
            StoreError::Refused(Refusal::EmptyReason) => t("error.empty_reason").to_string(),
            StoreError::Refused(Refusal::OwnModel { version, trainer }) => tf(
                "error.own_model",
                &[("version", version), ("trainer", trainer)],
            ),
            StoreError::Refused(Refusal::AlreadyApproved { version, by, at }) => tf(
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
            StoreError::Refused(Refusal::ModelNotApproved(v)) => {
                tf("error.model_not_approved", &[("version", v)])
            }
            StoreError::Refused(Refusal::Empty(what)) => tf("error.empty", &[("what", &t(what))]),
            StoreError::Sql(e) => tf("error.sql", &[("cause", e)]),
            StoreError::Corrupt(what) => tf("error.corrupt", &[("what", what)]),
            StoreError::Refused(Refusal::AsNotOwner { owner, me }) => {
                tf("error.as_not_owner", &[("owner", owner), ("me", me)])
            }
            StoreError::Refused(Refusal::UnknownUser { name, admins }) => tf(
                "error.unknown_user",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            StoreError::Refused(Refusal::UserDisabled { name, admins }) => tf(
                "error.user_disabled",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            StoreError::Refused(Refusal::Forbidden { name, role, action }) => tf(
                "error.forbidden",
                &[
                    ("name", name),
                    ("role", &t(&format!("role.{}", role.as_code()))),
                    ("action", &t(action)),
                ],
            ),
            StoreError::Refused(Refusal::NotYourTeam(case)) => {
                tf("error.not_your_team", &[("case", case)])
            }
            StoreError::Refused(Refusal::OtherTeam { asked, mine }) => {
                tf("error.other_team", &[("asked", asked), ("mine", mine)])
            }
            StoreError::Refused(Refusal::HeldBy {
                case,
                holder,
                until,
            }) => tf(
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
            StoreError::Refused(Refusal::OwnDecision(case)) => {
                tf("error.own_decision", &[("case", case)])
            }
            StoreError::Refused(Refusal::NotToSign(case)) => {
                tf("error.not_to_sign", &[("case", case)])
            }
            StoreError::Refused(Refusal::OutcomeRefused { case, refusal }) => {
                outcome_refusal(case, refusal)
            }
            StoreError::Refused(Refusal::OutcomeRecorded(case)) => {
                tf("error.outcome_recorded", &[("case", case)])
            }
            StoreError::Refused(Refusal::UserExists(name)) => {
                tf("error.user_exists", &[("name", name)])
            }
            StoreError::Refused(Refusal::NoSuchUser(name)) => {
                tf("error.no_such_user", &[("name", name)])
            }
            StoreError::Refused(Refusal::InvalidUserName(name)) => {
                tf("error.invalid_user_name", &[("name", name)])
            }
            StoreError::Refused(Refusal::InvalidTeam(team)) => {
                tf("error.invalid_team", &[("team", team)])
            }
            StoreError::Refused(Refusal::TeamRequired(role)) => tf(
                "error.team_required",
                &[("role", &t(&format!("role.{}", role.as_code())))],
            ),
            StoreError::Refused(Refusal::LastAdmin(name)) => {
                tf("error.last_admin", &[("name", name)])
            }
            StoreError::Refused(Refusal::ActorChanged(name)) => {
                tf("error.actor_changed", &[("name", name)])
            }
            StoreError::FourEyes(what) => tf("error.four_eyes", &[("what", what)]),
            StoreError::FeatureRules(what) => tf("error.feature_rules", &[("what", what)]),
            StoreError::Refused(Refusal::NoSuchFeature { name, known }) => tf(
                "error.no_such_feature",
                &[("name", name), ("known", &known.join(", "))],
            ),
            StoreError::Refused(Refusal::EmptyFeatureField { name, field }) => tf(
                "error.empty_feature_field",
                &[
                    ("name", name),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                ],
            ),
            StoreError::Refused(Refusal::EmptyTerm(term)) => {
                tf("error.empty_term", &[("term", term)])
            }
            StoreError::Refused(Refusal::HiddenCharacter { what, field, code }) => tf(
                "error.hidden_character",
                &[
                    ("what", what),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                    ("code", &format!("U+{code:04X}")),
                ],
            ),
            StoreError::Refused(Refusal::DuplicateImport { id, at, by }) => tf(
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
            StoreError::Refused(Refusal::NoSuchImport(id)) => {
                tf("error.import.no_such", &[("id", id)])
            }
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

fn outcome_refusal(case: &CaseRef, refusal: &OutcomeRefusal) -> String {
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

/// What a setting's value must be, in the user's language.
fn setting_expects(key: &str, expects: &SettingExpects) -> String {
    match expects {
        SettingExpects::OfKey => t(&format!("settings.expect.{key}")).to_owned(),
        SettingExpects::FourEyesRules { cause } => {
            format!("{} ({cause})", t("settings.expect.four_eyes"))
        }
        SettingExpects::FourEyesNotEmpty => t("settings.expect.four_eyes_empty").to_owned(),
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
