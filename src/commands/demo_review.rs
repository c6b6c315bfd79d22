//! `oordeel demo --reviewed N`: simulated reviewers decide the best-ranked open cases, so the
//! fairness audit has people's decisions to set beside the model's selection.
//!
//! They work through the same store API as a console session (start, open the case, decide,
//! end), so every decision is an ordinary logged event; the `session_start` of each
//! simulated session carries `simulated` with the policy below.

use crate::store::Refusal;
use color_eyre::eyre::Result;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde_json::json;

use super::Context;
use super::demo::DEMO_USERS;
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::role::Role;
use crate::store::{Actor, ReviewSession, Store, StoreError};

/// Standard deviation of the reviewer's misjudgement, on the latent need's log-odds scale
/// (whose own noise has sd 1.4): a reviewer who sees the household is right more often than
/// not, and still wrong on close calls.
pub const REVIEWER_NOISE_SD: f64 = 1.0;

/// The reason a simulated reviewer gives for a rejection.
const REJECT_REASON: &str = "low_need";

/// What the simulation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reviewed {
    pub accepted: usize,
    pub rejected: usize,
    /// Decisions the four-eyes rule caught, signed by the team's senior.
    pub signed: usize,
    /// Outcome steps recorded afterwards.
    pub outcomes: super::demo_outcomes::Simulated,
}

impl Reviewed {
    /// Adds a later month's figures.
    pub fn add(&mut self, other: &Reviewed) {
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.signed += other.signed;
        let (a, b) = (&mut self.outcomes, &other.outcomes);
        a.by_reviewers += b.by_reviewers;
        a.imported += b.imported;
        a.labelled += b.labelled;
    }
}

/// A team with simulated reviewers: its name, reviewers and senior (from [`DEMO_USERS`]).
struct Team {
    name: &'static str,
    reviewers: Vec<&'static str>,
    senior: &'static str,
}

/// The demo teams that have both reviewers and a senior: Noord and Zuid.
fn teams() -> Vec<Team> {
    let mut teams: Vec<Team> = Vec::new();
    for &(name, role, team) in DEMO_USERS {
        let Some(team) = team else { continue };
        let index = match teams.iter().position(|t| t.name == team) {
            Some(i) => i,
            None => {
                teams.push(Team {
                    name: team,
                    reviewers: Vec::new(),
                    senior: "",
                });
                teams.len() - 1
            }
        };
        match role {
            Role::Reviewer => teams[index].reviewers.push(name),
            Role::Senior => teams[index].senior = name,
            _ => {}
        }
    }
    teams.retain(|t| !t.reviewers.is_empty() && !t.senior.is_empty());
    teams
}

/// Lets the simulated reviewers decide `total` cases (or all open cases of their teams, if
/// fewer): split evenly over the teams, the best-ranked open cases of each, handed to the team's reviewers in turn. A reviewer
/// accepts when the household's latent need plus their noise is above 0, else rejects
/// (`low_need`). Decisions the four-eyes rule holds back are signed by the team's senior.
pub fn simulate(
    ctx: &Context,
    admin_store: &Store,
    admin: &Actor,
    total: usize,
    seed: u64,
) -> Result<Reviewed> {
    let mut done = Reviewed::default();
    let teams = teams();
    if total == 0 || teams.is_empty() {
        return Ok(done);
    }
    let noise = Normal::new(0.0, REVIEWER_NOISE_SD).map_err(|e| color_eyre::eyre::eyre!("{e}"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5245_5649_4557);
    let policy = json!({
        "policy": "accept when latent_need + noise > 0",
        "noise_sd": REVIEWER_NOISE_SD,
        "seed": seed,
        "reject_reason": REJECT_REASON,
    });
    // Each team's best-ranked open cases, taken from the teams in turn until `total`: an
    // even split, and a team with too few open cases leaves the rest to the others.
    let mut open: Vec<std::vec::IntoIter<(i64, f64, bool)>> = teams
        .iter()
        .map(|t| {
            Ok(admin_store
                .demo_open_cases_with_need(admin, t.name, total)?
                .into_iter())
        })
        .collect::<Result<_>>()?;
    let mut shares: Vec<Vec<(i64, f64, bool)>> = vec![Vec::new(); teams.len()];
    let mut taken = 0;
    while taken < total {
        let before = taken;
        for (t, cases) in open.iter_mut().enumerate() {
            if taken < total
                && let Some(case) = cases.next()
            {
                shares[t].push(case);
                taken += 1;
            }
        }
        if taken == before {
            break;
        }
    }
    let mut decided: Vec<Decided> = Vec::new();
    for (team, cases) in teams.iter().zip(shares) {
        let mut to_sign = Vec::new();
        for (r, reviewer) in team.reviewers.iter().enumerate() {
            let mine: Vec<(i64, f64, bool)> = cases
                .iter()
                .copied()
                .skip(r)
                .step_by(team.reviewers.len())
                .collect();
            let mut session = session_of(ctx, reviewer, &policy)?;
            for &(case_id, need, random) in &mine {
                session.open_case(case_id)?;
                let accept = need + noise.sample(&mut rng) > 0.0;
                decided.push(Decided {
                    case_id,
                    need,
                    random,
                    accepted: accept,
                    reviewer,
                });
                if accept {
                    session.decide(case_id, Decision::Accept, None)?;
                    done.accepted += 1;
                } else {
                    session.decide(case_id, Decision::Reject, Some(REJECT_REASON))?;
                    done.rejected += 1;
                }
                if session
                    .store()
                    .case_detail(session.actor(), case_id)?
                    .status
                    == CaseStatus::ToSign
                {
                    to_sign.push(case_id);
                }
            }
            session.end(None)?;
        }
        if !to_sign.is_empty() {
            let mut senior = session_of(ctx, team.senior, &policy)?;
            for case_id in to_sign {
                senior.open_case(case_id)?;
                senior.sign(case_id)?;
                done.signed += 1;
            }
            senior.end(None)?;
        }
    }
    done.outcomes = super::demo_outcomes::simulate(ctx, admin, &policy, &decided, &mut rng)?;
    Ok(done)
}

/// A case a simulated reviewer decided, with what the outcome simulation needs.
pub(super) struct Decided {
    pub case_id: i64,
    pub need: f64,
    pub random: bool,
    pub accepted: bool,
    pub reviewer: &'static str,
}

pub(super) fn session_of(
    ctx: &Context,
    name: &str,
    policy: &serde_json::Value,
) -> Result<ReviewSession> {
    let store = Store::open(&ctx.db)?;
    let user = store
        .user(name)?
        .ok_or_else(|| StoreError::Refused(Refusal::NoSuchUser(name.to_owned())))?;
    Ok(ReviewSession::start_simulated(
        store,
        Actor::from_user(&user),
        policy.clone(),
    )?)
}
