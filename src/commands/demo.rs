//! `oordeel demo`: generate the synthetic municipality, then train and score, so the console
//! opens on a ranked queue.

use crate::store::Refusal;
use std::process::ExitCode;
use std::time::Instant;

use color_eyre::eyre::{Result, bail};
use serde_json::json;

use super::Context;
use crate::cli::DemoArgs;
use crate::domain::event::EventKind;
use crate::domain::role::{Role, User};
use crate::domain::view::FeatureValue;
use crate::i18n::{self, tf};
use crate::ingest::demo::{self, DemoConfig};
use crate::store::{self, Actor, Identity, NewCase, Store};

pub fn run(ctx: &Context, args: &DemoArgs) -> Result<ExitCode> {
    create(ctx, args)?;
    Ok(ExitCode::SUCCESS)
}

/// Creates the demo database at `ctx.db`, trains a model version and scores the queue.
pub fn create(ctx: &Context, args: &DemoArgs) -> Result<()> {
    if ctx.db.exists() {
        // A municipality's own database is never a demo to replace, --force or not: its log
        // is the record of real decisions. (A file oordeel cannot open is refused below.)
        if let Ok(existing) = Store::open(&ctx.db)
            && !existing.is_demo()?
        {
            let name = existing.municipality()?.unwrap_or_default();
            bail!(tf(
                "cli.demo.own_data",
                &[("path", &ctx.db.display()), ("municipality", &name)]
            ));
        }
        if !args.force {
            bail!(tf("cli.demo.exists", &[("path", &ctx.db.display())]));
        }
        // Refuse to replace a file that is not an oordeel database, even with --force, and
        // let only its admins throw its log away.
        let (existing, actor) = ctx.open()?;
        if !actor.role.administers() {
            return Err(store::StoreError::Refused(Refusal::Forbidden {
                name: actor.name,
                role: actor.role,
                action: "error.action.manage_data",
            })
            .into());
        }
        drop(existing);
        store::remove_database(&ctx.db)?;
    }
    let started = Instant::now();
    let reference_date = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // With several months, the first lies that many months back and the last ends today.
    let months = args.months.max(1);
    let config = DemoConfig {
        seed: args.seed,
        households: args.households as usize,
        reference_date: reference_date - chrono::Months::new(months - 1),
    };
    let defs: Vec<(String, bool)> = demo::feature_defs()
        .into_iter()
        .map(|(n, cat)| (n.to_owned(), cat))
        .collect();
    // A half-made demo is worth nothing: on any failure remove it, so the next run starts
    // clean instead of finding a database that "already exists".
    let result = write_demo(ctx, &config, &defs).and_then(|(mut store, admin)| {
        let generated = started.elapsed();
        let (version, metrics) =
            super::train::train_and_store(&mut store, &admin, 1.0, args.seed, None)?;
        // Demo shortcut: the demo's admin approves the version they just trained, so the
        // console opens on a ranked queue. Logged with `demo_shortcut: true`; the store allows
        // it only for the first version of a fresh demo, and refuses it everywhere else.
        store.approve_demo_model(&admin, version)?;
        let ranked = crate::pipeline::score_and_store(&mut store, &admin)?
            .0
            .cases as usize;
        let mut reviewed =
            super::demo_review::simulate(ctx, &store, &admin, args.reviewed as usize, args.seed)?;
        if months > 1 {
            super::demo_months::say_month(1, config.reference_date, ranked, &reviewed);
        }
        for month in 2..=months {
            let later = super::demo_months::later_month(
                ctx,
                &mut store,
                &admin,
                super::demo_months::Month {
                    base: &config,
                    defs: &defs,
                    number: month,
                    reference: reference_date - chrono::Months::new(months - month),
                    reviewed: args.reviewed as usize,
                },
            )?;
            reviewed.add(&later);
        }
        // The loop closed once: the outcomes that came back train a challenger, compared
        // with the version that ranks the queue and left for an admin to approve or not.
        let challenger = if reviewed.outcomes.labelled > 0 {
            let mut store = Store::open(&ctx.db)?;
            let (v, _) = super::train::train_and_store(&mut store, &admin, 1.0, args.seed, None)?;
            Some(v)
        } else {
            None
        };
        Ok((generated, version, metrics, ranked, (reviewed, challenger)))
    });
    let (generated, version, metrics, ranked, (reviewed, challenger)) = match result {
        Ok(done) => done,
        Err(e) => {
            let _ = store::remove_database(&ctx.db);
            return Err(e);
        }
    };
    if let Some(path) = &args.signal_file {
        write_signal_file(&config, path)?;
    }
    let lang = ctx.lang;
    super::warn(&tf(
        "cli.demo.done",
        &[
            ("path", &ctx.db.display()),
            ("households", &i18n::number(lang, args.households as f64, 0)),
            ("open", &i18n::number(lang, ranked as f64, 0)),
            ("version", &version),
            ("auc", &i18n::number(lang, metrics.auc, 3)),
            (
                "seconds",
                &i18n::number(lang, started.elapsed().as_secs_f64(), 1),
            ),
            ("generate", &i18n::number(lang, generated.as_secs_f64(), 1)),
        ],
    ));
    if args.reviewed > 0 {
        super::warn(&tf(
            "cli.demo.reviewed",
            &[
                ("accepted", &reviewed.accepted),
                ("rejected", &reviewed.rejected),
                ("signed", &reviewed.signed),
            ],
        ));
        let o = reviewed.outcomes;
        super::warn(&tf(
            "cli.demo.outcomes",
            &[
                ("reviewers", &o.by_reviewers),
                ("imported", &o.imported),
                ("labelled", &o.labelled),
            ],
        ));
    }
    if let Some(v) = challenger {
        let store = Store::open(&ctx.db)?;
        super::warn(&tf("cli.demo.challenger", &[("version", &v)]));
        super::train_labels::print_summary(&store, v, lang, super::warn)?;
    }
    Ok(())
}

/// Writes the reference month's signals of the open cases in the signal-file format (the
/// same households generated again: the generator is deterministic), so the file a creditor
/// would send and `oordeel signals import` can be tried on the demo's households.
fn write_signal_file(config: &DemoConfig, path: &std::path::Path) -> Result<()> {
    let open: Vec<demo::DemoHousehold> = demo::generate(config).filter(|h| h.case.open).collect();
    let rows: Vec<(&str, &crate::domain::household::Signal)> = open
        .iter()
        .flat_map(|h| {
            let month = h.case.month_start();
            h.signals
                .iter()
                .filter(move |s| s.received_on >= month)
                .map(move |s| (h.household.pseudonym.as_str(), s))
        })
        .collect();
    let text = crate::domain::signal_file::write(&rows);
    // Owner-only like the database: signal files name households' debts.
    super::write_whole(path, text.as_bytes(), 0o600)?;
    super::warn(&tf(
        "cli.demo.signal_file",
        &[("path", &path.display()), ("signals", &rows.len())],
    ));
    Ok(())
}

/// The demo's colleagues, so every role can be tried with `--as`: two teams (Noord and Zuid)
/// with reviewers, a senior and a supervisor each, and an auditor.
pub const DEMO_USERS: &[(&str, Role, Option<&str>)] = &[
    ("anna", Role::Reviewer, Some("Noord")),
    ("bram", Role::Reviewer, Some("Noord")),
    ("carla", Role::Senior, Some("Noord")),
    ("fatima", Role::Supervisor, Some("Noord")),
    ("daan", Role::Reviewer, Some("Zuid")),
    ("eva", Role::Senior, Some("Zuid")),
    ("gijs", Role::Supervisor, Some("Zuid")),
    ("ilse", Role::Auditor, None),
];

fn write_demo(
    ctx: &Context,
    config: &DemoConfig,
    defs: &[(String, bool)],
) -> Result<(Store, Actor)> {
    super::checkpoint::set_aside_for_new_database(ctx)?;
    // A new database makes the owner of its file (whoever runs this) its first admin.
    let mut store = Store::create(&ctx.db)?;
    let admin = store.identify(&Identity {
        os_user: &ctx.user,
        uid: ctx.uid,
        as_name: None,
    })?;
    super::checkpoint::record_key_in_new_database(ctx, &mut store, &admin)?;
    for (name, role, team) in DEMO_USERS {
        if store.user(name)?.is_none() {
            let user = User {
                name: (*name).to_owned(),
                role: *role,
                team: team.map(str::to_owned),
                active: true,
            };
            store.add_user(&admin, &user)?;
        }
    }
    // The programme's own (Dutch) name, as municipalities use it in either language.
    store.set_setting(&admin, "caseload_title", "Vroegsignalering")?;
    let progress = indicatif::ProgressBar::new(config.households as u64)
        .with_style(
            indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {eta}")
                .expect("valid template"),
        )
        .with_message(i18n::t("cli.demo.generating"));
    let mut row: Vec<FeatureValue> = Vec::with_capacity(defs.len());
    store.write_caseload(&admin, defs, |writer| {
        for h in demo::generate(config) {
            add_household(writer, &h, defs, &mut row)?;
            if h.index % 4096 == 0 {
                progress.set_position(h.index as u64);
            }
        }
        Ok(())
    })?;
    progress.finish_and_clear();
    document_demo_features(&mut store, &admin)?;
    let payload = json!({
        "seed": config.seed,
        "households": config.households,
        "reference_date": config.reference_date.to_string(),
    });
    store.record_event(&admin, EventKind::DemoCreated, None, &payload)?;
    Ok((store, admin))
}

/// Writes one generated household and its case; `row` is scratch space for its features.
pub(super) fn add_household(
    writer: &mut store::CaseloadWriter<'_>,
    h: &demo::DemoHousehold,
    defs: &[(String, bool)],
    row: &mut Vec<FeatureValue>,
) -> store::Result<()> {
    let features = demo::features(h);
    row.clear();
    for (name, _) in defs {
        row.push(
            features.get(name).cloned().ok_or_else(|| {
                store::StoreError::Corrupt(format!("demo feature {name} missing"))
            })?,
        );
    }
    writer.add(&NewCase {
        household: &h.household,
        personal: Some(&h.personal),
        protected: Some(&h.protected),
        signals: &h.signals,
        opened_on: h.case.opened_on,
        deadline_on: h.case.deadline_on,
        flags: h.case.flags,
        open: h.case.open,
        outcome: h.case.outcome,
        features: row,
        latent_need: Some(h.case.latent_need),
    })?;
    Ok(())
}

/// Documents every demo feature from `assets/features.toml`, the creating admin as
/// approver (one transaction, one `feature_documented` event per feature).
fn document_demo_features(store: &mut Store, admin: &Actor) -> Result<()> {
    let docs = demo::feature_documentation();
    let docs: Vec<store::FeatureDoc<'_>> = docs
        .iter()
        .map(|(name, d)| store::FeatureDoc {
            name,
            source: &d.source,
            legal_basis: &d.legal_basis,
            description: &d.description,
        })
        .collect();
    store.document_features(admin, &docs)?;
    Ok(())
}
