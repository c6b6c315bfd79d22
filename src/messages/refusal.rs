//! The sentence each [`Refusal`] becomes: what the rules refuse, why, and what to do instead,
//! in the user's language.

use std::fmt;

use super::one_line;
use crate::i18n::{self, t, tf};
use crate::store::{CaseRef, OutcomeRefusal, Refusal, SettingExpects};

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Refusal::NoSuchCase(id) => tf("error.no_case", &[("case", id)]),
            Refusal::AlreadyDecided {
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
            Refusal::NoModel => t("error.no_model").to_owned(),
            Refusal::NoSuchModelVersion(v) => tf("error.no_model_version", &[("version", v)]),
            Refusal::FeaturesRefused { version, why } => tf(
                "error.features_refused",
                &[("version", version), ("why", why)],
            ),
            Refusal::Halted { by, reason } => tf("error.halted", &[("by", by), ("reason", reason)]),
            Refusal::AlreadyHalted { by, at } => tf(
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
            Refusal::NotHalted => t("error.not_halted").to_string(),
            Refusal::JudgeFirst(case_id) => tf("error.judge_first", &[("case", case_id)]),
            Refusal::AlreadyJudged { case, judgment } => tf(
                "error.already_judged",
                &[
                    ("case", case),
                    ("judgment", &t(&format!("judgment.{judgment}"))),
                ],
            ),
            Refusal::NotJudgeFirst => t("error.not_judge_first").to_string(),
            Refusal::JudgeFirstByTeam(team) => tf("error.judge_first_by_team", &[("team", team)]),
            Refusal::NoSuchTeam(team) => tf("error.no_such_team", &[("team", team)]),
            Refusal::OtherTeamSetting { asked, mine } => tf(
                "error.other_team_setting",
                &[("asked", asked), ("mine", mine)],
            ),
            Refusal::NoSuchHousehold(h) => tf("error.no_such_household", &[("household", h)]),
            Refusal::DuplicateSignals { seq, at, by } => tf(
                "error.duplicate_signals",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            Refusal::RegisterOutdated { before, newest } => tf(
                "error.register_outdated",
                &[("before", before), ("newest", newest)],
            ),
            Refusal::PurgeTooRecent { before, latest } => tf(
                "error.purge_too_recent",
                &[
                    ("before", before),
                    ("latest", latest),
                    ("days", &crate::domain::retention::MIN_RETENTION_DAYS),
                ],
            ),
            Refusal::NoWaitingSignal(id) => tf("error.no_waiting_signal", &[("id", id)]),
            Refusal::SignalNamesNoOne(id) => tf("error.signal_names_no_one", &[("id", id)]),
            Refusal::BsnNeeded(id) => tf("error.bsn_needed", &[("id", id)]),
            Refusal::NewHouseholdFact {
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
            Refusal::MatchContradicts {
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
            Refusal::BsnHeld { signal, household } => tf(
                "error.bsn_held",
                &[("id", signal), ("household", household)],
            ),
            Refusal::DuplicateHistory { seq, at, by } => tf(
                "error.duplicate_history",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            Refusal::UnknownDistricts { file, found, known } => {
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
            Refusal::DuplicateHouseholds { seq, at, by } => tf(
                "error.duplicate_households",
                &[("seq", seq), ("at", at), ("by", by)],
            ),
            Refusal::FeaturesDiffer { declared, profile } => tf(
                "error.features_differ",
                &[("declared", declared), ("profile", profile)],
            ),
            Refusal::TeamWithoutReviewers(team) => {
                tf("error.team_without_reviewers", &[("team", team)])
            }
            Refusal::NoteRequired(code) => tf("error.note_required", &[("reason", code)]),
            Refusal::NotASetting(key) => tf(
                "error.not_a_setting",
                &[
                    ("key", key),
                    ("keys", &crate::store::SETTABLE_SETTINGS.join(", ")),
                ],
            ),
            Refusal::BadSettingValue {
                key,
                value,
                expected,
            } => tf(
                "error.bad_setting_value",
                &[
                    ("key", key),
                    ("value", &one_line(Some(value))),
                    ("expected", &setting_expects(key, expected)),
                ],
            ),
            Refusal::Erased(on) => tf("error.erased", &[("on", &i18n::date(i18n::lang(), *on))]),
            Refusal::SameSupervisor { by } => tf("error.same_supervisor", &[("by", by)]),
            Refusal::EmptyReason => t("error.empty_reason").to_string(),
            Refusal::OwnModel { version, trainer } => tf(
                "error.own_model",
                &[("version", version), ("trainer", trainer)],
            ),
            Refusal::AlreadyApproved { version, by, at } => tf(
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
            Refusal::ModelNotApproved(v) => tf("error.model_not_approved", &[("version", v)]),
            Refusal::Empty(what) => tf("error.empty", &[("what", &t(what))]),
            Refusal::AsNotOwner { owner, me } => {
                tf("error.as_not_owner", &[("owner", owner), ("me", me)])
            }
            Refusal::UnknownUser { name, admins } => tf(
                "error.unknown_user",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            Refusal::UserDisabled { name, admins } => tf(
                "error.user_disabled",
                &[("name", name), ("admins", &admins.join(", "))],
            ),
            Refusal::Forbidden { name, role, action } => tf(
                "error.forbidden",
                &[
                    ("name", name),
                    ("role", &t(&format!("role.{}", role.as_code()))),
                    ("action", &t(action)),
                ],
            ),
            Refusal::NotYourTeam(case) => tf("error.not_your_team", &[("case", case)]),
            Refusal::OtherTeam { asked, mine } => {
                tf("error.other_team", &[("asked", asked), ("mine", mine)])
            }
            Refusal::HeldBy {
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
            Refusal::OwnDecision(case) => tf("error.own_decision", &[("case", case)]),
            Refusal::NotToSign(case) => tf("error.not_to_sign", &[("case", case)]),
            Refusal::OutcomeRefused { case, refusal } => outcome_refusal(case, refusal),
            Refusal::OutcomeRecorded(case) => tf("error.outcome_recorded", &[("case", case)]),
            Refusal::UserExists(name) => tf("error.user_exists", &[("name", name)]),
            Refusal::NoSuchUser(name) => tf("error.no_such_user", &[("name", name)]),
            Refusal::InvalidUserName(name) => tf("error.invalid_user_name", &[("name", name)]),
            Refusal::InvalidTeam(team) => tf("error.invalid_team", &[("team", team)]),
            Refusal::TeamRequired(role) => tf(
                "error.team_required",
                &[("role", &t(&format!("role.{}", role.as_code())))],
            ),
            Refusal::LastAdmin(name) => tf("error.last_admin", &[("name", name)]),
            Refusal::ActorChanged(name) => tf("error.actor_changed", &[("name", name)]),
            Refusal::NoSuchFeature { name, known } => tf(
                "error.no_such_feature",
                &[("name", name), ("known", &known.join(", "))],
            ),
            Refusal::EmptyFeatureField { name, field } => tf(
                "error.empty_feature_field",
                &[
                    ("name", name),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                ],
            ),
            Refusal::EmptyTerm(term) => tf("error.empty_term", &[("term", term)]),
            Refusal::HiddenCharacter { what, field, code } => tf(
                "error.hidden_character",
                &[
                    ("what", what),
                    ("field", &format!("--{}", field.replace('_', "-"))),
                    ("code", &format!("U+{code:04X}")),
                ],
            ),
            Refusal::DuplicateImport { id, at, by } => tf(
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
            Refusal::NoSuchImport(id) => tf("error.import.no_such", &[("id", id)]),
        };
        f.write_str(&text)
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
