//! Every class of fault a profile or a file can have, and what a good row becomes.

use serde_json::json;

use super::*;
use crate::domain::feature_rules::FeatureRules;

const PROFILE: &str = r#"
name = "test"
team = "Noord"

[columns.id]
role = "id"
[columns.bedrag]
role = "feature"
kind = "numeric"
[columns.soort]
role = "feature"
kind = "categorical"
values = ["huur", "energie"]
[columns.geslacht]
role = "protected"
[columns.uitkomst]
role = "outcome"
positive = ["ja"]
negative = ["nee"]
unknown = ["", "onbekend"]
[columns.score]
role = "score"
direction = "higher"
min = 0
max = 1
[columns.bsn]
role = "personal"
kind = "bsn"
[columns.geboren]
role = "personal"
kind = "date"
optional = true
[columns.notitie]
role = "display"
"#;

const HEADER: &str = "id,bedrag,soort,geslacht,uitkomst,score,bsn,geboren,notitie";

fn profile(text: &str) -> Result<Profile, ProfileError> {
    Profile::parse("p.toml", text, FeatureRules::shipped())
}

fn read(profile_text: &str, header: &str, rows: &[&str]) -> Validated {
    let profile = profile(profile_text).expect("profile parses");
    let fields = |line: &str| line.split(',').map(str::to_owned).collect::<Vec<_>>();
    let mut reader = RowReader::new(&profile, "f.csv", DecimalMark::Comma, 1, &fields(header));
    for (i, row) in rows.iter().enumerate() {
        reader.row(i as u64 + 2, &fields(row));
    }
    reader.finish()
}

fn problems(v: &Validated) -> Vec<(u64, Option<&str>, &Problem)> {
    v.errors
        .iter()
        .map(|e| (e.line, e.column.as_deref(), &e.problem))
        .collect()
}

#[test]
fn a_good_row_becomes_a_typed_record() {
    let v = read(
        PROFILE,
        HEADER,
        &["H-1,1234,huur,v,ja,1,111222333,05-06-1980,hallo"],
    );
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let r = &v.records[0];
    assert_eq!(r.id, "H-1");
    assert_eq!(r.team.as_deref(), Some("Noord"));
    assert_eq!(r.features.get("bedrag"), Some(&json!(1234.0)));
    assert_eq!(r.features.get("soort"), Some(&json!("huur")));
    assert_eq!(r.protected.get("geslacht"), Some(&json!("v")));
    assert_eq!(r.outcome, Some(true));
    assert_eq!(r.score, Some(1.0));
    assert_eq!(r.personal.get("bsn"), Some(&json!("111222333")));
    assert_eq!(r.personal.get("geboren"), Some(&json!("1980-06-05")));
    assert_eq!(r.display.get("notitie"), Some(&json!("hallo")));
    assert!(
        !r.features.contains_key("geslacht"),
        "protected is no feature"
    );
}

#[test]
fn every_fault_of_a_row_is_named_with_line_and_column() {
    let v = read(
        PROFILE,
        HEADER,
        &[
            "H-1,12x,huur,v,ja,0,111222333,,",
            "H-2,1,gas,v,misschien,2,123456789,31-02-1980,x",
            "H-3,1,huur,v,nee,0",
            "H-4,,huur,v,,0,111222333,,x",
            "H-5,1,huur,v,nee,0,111222333,,x",
            "H-5,1,huur,v,nee,0,111222333,,x",
            "H\u{202e}6,1,huur,v,nee,0,111222333,,x",
        ],
    );
    let found = problems(&v);
    let expect = |line: u64, column: Option<&str>, check: &dyn Fn(&Problem) -> bool| {
        assert!(
            found
                .iter()
                .any(|(l, c, p)| *l == line && *c == column && check(p)),
            "line {line} column {column:?} not in {found:#?}"
        );
    };
    expect(2, Some("bedrag"), &|p| matches!(p, Problem::Number { .. }));
    expect(2, Some("notitie"), &|p| *p == Problem::Required);
    expect(3, Some("soort"), &|p| matches!(p, Problem::Category { .. }));
    expect(3, Some("uitkomst"), &|p| {
        matches!(p, Problem::Outcome { .. })
    });
    expect(3, Some("score"), &|p| matches!(p, Problem::Range { .. }));
    expect(3, Some("bsn"), &|p| matches!(p, Problem::Bsn { .. }));
    expect(3, Some("geboren"), &|p| matches!(p, Problem::Date { .. }));
    expect(4, None, &|p| {
        *p == Problem::FieldCount {
            expected: 9,
            found: 6,
        }
    });
    expect(5, Some("bedrag"), &|p| *p == Problem::Required);
    expect(7, Some("id"), &|p| {
        matches!(p, Problem::DuplicateId { first: 6, .. })
    });
    expect(8, Some("id"), &|p| *p == Problem::Hidden { code: 0x202e });
    assert_eq!(v.records.len(), 1, "only H-5's first row is whole");
    let message = v.errors[0].to_string();
    assert!(
        message.starts_with("f.csv:2: column `bedrag`: expected a number"),
        "{message}"
    );
    assert!(message.ends_with("found `12x`"), "{message}");
}

#[test]
fn the_header_must_match_the_profile() {
    let v = read(
        PROFILE,
        "id,bedrag,soort,geslacht,uitkomst,score,bsn,geboren,extra,id",
        &[],
    );
    let found = problems(&v);
    assert!(found.contains(&(1, Some("notitie"), &Problem::MissingColumn {
        columns: "`id`, `bedrag`, `soort`, `geslacht`, `uitkomst`, `score`, `bsn`, `geboren`, `extra`, `id`".into()
    })), "{found:?}");
    assert!(found.contains(&(1, Some("extra"), &Problem::Unmapped)));
    assert!(found.contains(&(1, Some("id"), &Problem::DuplicateHeader)));
    let lenient = format!("ignore_unmapped = true\n{PROFILE}");
    let v = read(&lenient, &format!("{HEADER},extra"), &[]);
    assert!(v.errors.is_empty(), "{:?}", v.errors);
}

#[test]
fn faults_beyond_the_limit_are_counted_not_kept() {
    let rows: Vec<String> = (0..120)
        .map(|i| format!("H-{i},x,huur,v,ja,0,111222333,,n"))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let v = read(PROFILE, HEADER, &rows);
    assert_eq!(v.error_count, 120);
    assert_eq!(v.errors.len(), ERROR_LIMIT);
    assert_eq!(v.rows, 120);
}

#[test]
fn profiles_are_checked() {
    let problem = |text: &str| profile(text).expect_err("refused").problem;
    let unknown_key = problem(&PROFILE.replace("optional = true", "optinal = true"));
    assert!(
        matches!(&unknown_key, ProfileProblem::Toml(m) if m.contains("optinal")),
        "{unknown_key:?}"
    );
    let top_level = problem(&format!("delimter = \";\"\n{PROFILE}"));
    assert!(matches!(&top_level, ProfileProblem::Toml(m) if m.contains("delimter")));
    assert!(matches!(
        problem(&PROFILE.replace("role = \"protected\"", "role = \"feature\"\nkind = \"categorical\"")),
        ProfileProblem::Forbidden { ground, .. } if ground == "gender"
    ));
    assert_eq!(
        problem(&PROFILE.replace("[columns.id]\nrole = \"id\"", "")),
        ProfileProblem::NoId
    );
    assert!(matches!(
        problem(&PROFILE.replace("role = \"display\"", "role = \"id\"")),
        ProfileProblem::Twice { role: "id", .. }
    ));
    assert_eq!(
        problem(&PROFILE.replace("role = \"display\"", "role = \"team\"")),
        ProfileProblem::TeamTwice
    );
    assert!(matches!(
        problem(&PROFILE.replace("\"energie\"", "\"huur\"")),
        ProfileProblem::RepeatedValue { .. }
    ));
    assert!(matches!(
        problem(&PROFILE.replace("min = 0", "min = 2")),
        ProfileProblem::BadRange(_)
    ));
    assert!(matches!(
        problem(&PROFILE.replace("kind = \"numeric\"", "kind = \"numeric\"\nvalues = [\"1\"]")),
        ProfileProblem::ValuesOnNumeric(_)
    ));
    assert!(matches!(
        problem(
            &PROFILE
                .replace("delimiter", "x")
                .replace("name = \"test\"", "name = \"test\"\ndelimiter = \"|\"")
        ),
        ProfileProblem::Toml(_)
    ));
    assert!(matches!(
        problem(&PROFILE.replace("[columns.bedrag]", "[columns.\"be\\u001bdrag\"]")),
        ProfileProblem::Hidden { code: 0x1b, .. }
    ));
    assert_eq!(
        problem(&PROFILE.replace("team = \"Noord\"", "team = \"No/ord\"")),
        ProfileProblem::BadTeam("No/ord".into())
    );
}

#[test]
fn teams_long_ids_and_control_characters_in_found_values() {
    let with_team_column = PROFILE.replace("team = \"Noord\"\n", "").replace(
        "[columns.notitie]\nrole = \"display\"",
        "[columns.notitie]\nrole = \"team\"",
    );
    let long = "x".repeat(MAX_ID_CHARS + 1);
    let v = read(
        &with_team_column,
        HEADER,
        &[
            "H-1,1,huur,v,ja,0,111222333,,No/ord",
            &format!("{long},1,huur,v,ja,0,111222333,,Noord"),
            "H-3,1\n2,huur,v,ja,0,111222333,,Zuid",
        ],
    );
    let found = problems(&v);
    assert!(found.contains(&(
        2,
        Some("notitie"),
        &Problem::Team {
            found: "No/ord".into()
        }
    )));
    assert!(found.contains(&(3, Some("id"), &Problem::TooLong { max: MAX_ID_CHARS })));
    let message = v.errors[2].to_string();
    assert!(message.ends_with("found `1\\u{a}2`"), "{message}");
}

#[test]
fn empty_lists_and_names_are_refused() {
    let problem = |text: &str| profile(text).expect_err("refused").problem;
    assert_eq!(
        problem(&PROFILE.replace("values = [\"huur\", \"energie\"]", "values = []")),
        ProfileProblem::NoValues("soort".into())
    );
    assert_eq!(
        problem(&PROFILE.replace("positive = [\"ja\"]", "positive = []")),
        ProfileProblem::NoValues("uitkomst".into())
    );
    assert_eq!(
        problem(&PROFILE.replace("name = \"test\"", "name = \" \"")),
        ProfileProblem::NoName
    );
}
