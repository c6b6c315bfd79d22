//! Who may do what: the five roles and their powers. The store enforces these on every read
//! and write; the console only uses them to hide keys that would be refused anyway.

use serde::{Deserialize, Serialize};

use super::household::coded_enum;

coded_enum!(
    /// A user's role, stored in the users table and on every event they cause.
    Role {
        /// Sees and decides the cases of their own team.
        Reviewer => "reviewer",
        /// A reviewer who also gives the second signature of four-eyes decisions.
        Senior => "senior",
        /// Sees their team's work, releases stuck claims and reassigns cases; decides nothing.
        Supervisor => "supervisor",
        /// Reads logs, reports and pseudonymised data of every team; decides nothing and sees
        /// no personal data.
        Auditor => "auditor",
        /// Manages users, data and models; may review every team (a single-user install is
        /// run by its admin).
        Admin => "admin",
    }
);

impl Role {
    /// May record decisions, notes and undos.
    pub fn decides(self) -> bool {
        matches!(self, Role::Reviewer | Role::Senior | Role::Admin)
    }

    /// May give the second signature on a four-eyes decision (never on their own).
    pub fn signs(self) -> bool {
        matches!(self, Role::Senior | Role::Admin)
    }

    /// May see name, BSN, address and birth date (each showing logged).
    pub fn reveals(self) -> bool {
        !matches!(self, Role::Auditor)
    }

    /// Sees every team's cases rather than their own team's.
    pub fn all_teams(self) -> bool {
        matches!(self, Role::Auditor | Role::Admin)
    }

    /// May release another person's claim and move a case to another team.
    pub fn supervises(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }

    /// May manage users and replace data and models.
    pub fn administers(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// May read the event log and the oversight reports.
    pub fn audits(self) -> bool {
        matches!(self, Role::Auditor | Role::Supervisor | Role::Admin)
    }

    /// Reviewers, seniors and supervisors work for one team; admins and auditors need none.
    pub fn needs_team(self) -> bool {
        !self.all_teams()
    }
}

/// A person in the users table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// `None` for admins and auditors, who see every team.
    pub team: Option<String>,
    pub active: bool,
}

/// Whether `name` is acceptable as a user name: it is written into `authorized_keys` forced
/// commands and shown on every screen, so only a conservative login-name alphabet.
pub fn valid_user_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && name.len() <= 32
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'))
}

/// Whether `team` is acceptable as a team name: printable, short, no control characters.
pub fn valid_team_name(team: &str) -> bool {
    !team.trim().is_empty()
        && team.chars().count() <= 40
        && team
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_decide_nothing_and_reveal_nothing() {
        assert!(!Role::Auditor.decides());
        assert!(!Role::Auditor.reveals());
        assert!(Role::Auditor.audits());
        assert!(!Role::Supervisor.decides());
        assert!(Role::Senior.signs() && !Role::Reviewer.signs());
    }

    #[test]
    fn user_names_fit_a_forced_command() {
        for ok in ["anna", "j.de-vries", "_svc", "a1"] {
            assert!(valid_user_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Anna",
            "anna smith",
            "a\"b",
            "1abc",
            "x;rm",
            "é",
            &"a".repeat(33),
        ] {
            assert!(!valid_user_name(bad), "{bad}");
        }
        assert!(valid_team_name("Noord") && valid_team_name("Team Zuid-Oost"));
        assert!(!valid_team_name("") && !valid_team_name("a\x1b[2J"));
    }
}
