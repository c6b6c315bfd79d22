//! `oordeel report access`: who opened which case and who saw whose personal data.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{AccessArgs, Format, ReportCommand};
use crate::domain::text::sanitize;
use crate::i18n::{t, tf};
use crate::store::AccessQuery;

pub fn run(ctx: &Context, cmd: &ReportCommand) -> Result<ExitCode> {
    match cmd {
        ReportCommand::Access(args) => access(ctx, args),
        ReportCommand::Fairness(args) => super::fairness::run(ctx, args),
        ReportCommand::Model(args) => super::model_card::run(ctx, args),
        ReportCommand::Oversight(args) => super::oversight::run(ctx, args),
        ReportCommand::Since(args) => super::since::run(ctx, args),
    }
}

/// A local calendar day's start as the log writes times (RFC 3339 UTC): `--since DATE` means
/// from that day's local midnight on.
pub(super) fn local_midnight(day: chrono::NaiveDate) -> Option<String> {
    day.and_hms_opt(0, 0, 0)?
        .and_local_timezone(chrono::Local)
        .earliest()
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        })
}

fn access(ctx: &Context, args: &AccessArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let since = args.since.and_then(local_midnight);
    let records = store.access_log(
        &actor,
        &AccessQuery {
            since,
            user: args.user.as_deref(),
            reveals_only: args.reveals_only,
        },
    )?;
    if args.format == Format::Json {
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&records)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    super::say(&format!(
        "{:<16}  {:<20} {:<12} {:<22} {:>8}  {}",
        t("cli.report.at"),
        t("cli.users.name"),
        t("cli.users.role"),
        t("cli.report.access"),
        t("cli.claims.case"),
        t("cli.claims.household")
    ));
    let (mut views, mut reveals, mut searched) = (0, 0, 0);
    for r in &records {
        match r.access.as_str() {
            "reveal" => reveals += 1,
            "personal_data_searched" => searched += 1,
            _ => views += 1,
        }
        super::say(&format!(
            "{:<16}  {:<20} {:<12} {:<22} {:>8}  {}",
            super::claims::local_time(&r.at),
            sanitize(&r.user),
            t(&format!("role.{}", r.role)),
            t(&format!("cli.report.kind_{}", r.access)),
            r.case_id.map(|c| c.to_string()).unwrap_or_default(),
            sanitize(r.household.as_deref().unwrap_or(""))
        ));
    }
    super::say(
        &(tf(
            "cli.report.total",
            &[
                ("views", &views),
                ("reveals", &reveals),
                ("searched", &searched),
            ],
        )),
    );
    Ok(ExitCode::SUCCESS)
}
