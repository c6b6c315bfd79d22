//! `oordeel report since`: every standing decision since a moment or under a model version,
//! for re-review after a problem is found (docs/audit.md, "Stopping the model").

use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use super::Context;
use crate::cli::{Format, SinceArgs};
use crate::domain::decision::Decision;
use crate::domain::text::sanitize;
use crate::i18n::{t, tf};
use crate::store::SinceFilter;

pub fn run(ctx: &Context, args: &SinceArgs) -> Result<ExitCode> {
    // Parsed before the database is opened: a typo is reported as what it is.
    let filter = match (&args.time, args.model) {
        (Some(text), _) => SinceFilter::Time(parse_moment(text)?),
        (None, Some(version)) => SinceFilter::Model(version),
        // clap's argument group requires one of the two.
        (None, None) => return Err(eyre!(tf("cli.since.bad_time", &[("value", &"")]))),
    };
    let (store, actor) = ctx.open()?;
    let team = store.oversight_team(&actor, args.team.as_deref())?;
    let rows = store.decisions_to_review(&actor, team.as_deref(), &filter)?;
    if args.format == Format::Json {
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&rows)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let header = |cells: [&str; 8]| {
        format!(
            "{:>6}  {:<9} {:<12} {:<9} {:<16} {:>5} {:>5}  {}",
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]
        )
        .trim_end()
        .to_owned()
    };
    super::say(&header([
        t("cli.claims.case"),
        t("cli.claims.household"),
        t("cli.since.decision"),
        t("cli.since.reviewer"),
        t("cli.report.at"),
        t("cli.since.model"),
        t("cli.since.rank"),
        t("cli.since.selection"),
    ]));
    let reasons = crate::domain::decision::default_reasons();
    for r in &rows {
        let decision = Decision::from_code(&r.decision)
            .map(|d| t(&format!("status.{}", d.status().as_code())).to_owned())
            .unwrap_or_else(|| sanitize(&r.decision).into_owned());
        super::say(&header([
            &r.case_id.to_string(),
            &sanitize(&r.household),
            &decision,
            &sanitize(&r.reviewer),
            &super::claims::local_time(&r.at),
            &r.model_version.map(|v| format!("v{v}")).unwrap_or_default(),
            &r.rank.map(|v| v.to_string()).unwrap_or_default(),
            &sanitize(r.selection.as_deref().unwrap_or("")),
        ]));
        if let Some(reason) = &r.reason {
            // In the reader's words, as the console shows it; the JSON keeps the code.
            let words = reasons.iter().find(|known| &known.code == reason).map_or(
                reason.as_str(),
                |known| match crate::i18n::lang() {
                    crate::i18n::Lang::Nl => known.nl.as_str(),
                    crate::i18n::Lang::En => known.en.as_str(),
                },
            );
            super::say(&format!(
                "{:>6}  {}",
                "",
                tf("cli.since.reason", &[("reason", &sanitize(words))])
            ));
        }
    }
    let what = match &filter {
        SinceFilter::Time(_) => tf(
            "cli.since.total_time",
            &[(
                "time",
                &args.time.as_deref().map(sanitize).unwrap_or_default(),
            )],
        ),
        SinceFilter::Model(v) => tf("cli.since.total_model", &[("version", v)]),
    };
    super::say(&tf(
        "cli.since.total",
        &[("count", &rows.len()), ("what", &what)],
    ));
    Ok(ExitCode::SUCCESS)
}

/// `--time`: RFC 3339, or a local date meaning its midnight; as the log writes times.
fn parse_moment(text: &str) -> Result<String> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
    }
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(super::report::local_midnight)
        .ok_or_else(|| eyre!(tf("cli.since.bad_time", &[("value", &sanitize(text))])))
}
