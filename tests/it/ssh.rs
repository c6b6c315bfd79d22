//! `oordeel ssh authorize`: the authorized_keys line it prints, what `--write` does to the
//! service account's ~/.ssh, and every key file or user it refuses. Keys are fixed strings
//! (made once with ssh-keygen, private halves discarded), so no OpenSSH is needed to run this.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{DemoDb, demo, oordeel, os_user, query_i64};
use predicates::str::contains;
use tempfile::TempDir;

const ANNA_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOs+Tnu+T5KqVq/TwQfiZjIR3HN4vN5KcBKFE5NA1vsY anna@laptop";
const ANNA_FINGERPRINT: &str = "SHA256:GrJwd3et1AQJKj97Mt1ogwaHFXI/XfCRAVgvrXn3I1I";
const BRAM_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKGqlntaYSDGqYyzZUXTvtGK38RJj1S5QSQe2nMFi9wJ bram@pc";
const ECDSA_KEY: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAxOIwEMdD2Mdu85Alwl2LyLozgMbXRwE+8ZRINafhVQ2Lr/n5/PV/Z981VuooUEepkJtDq2ruMpY4vb1USxEaE= carla";
const ADMIN_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBTb588rDmDETYOlIKa+N2c2xsyqOxZQEgiAGEU/cOyJ admin@desk";

/// A demo database, a key directory and a home directory for the service account.
struct Setup {
    db: DemoDb,
    home: TempDir,
    keys: TempDir,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            db: demo(100),
            home: tempfile::tempdir().unwrap(),
            keys: tempfile::tempdir().unwrap(),
        }
    }

    fn key(&self, file: &str, contents: &str) -> PathBuf {
        let path = self.keys.path().join(file);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `oordeel --db DB ssh authorize NAME --key FILE [extra]` with HOME set for the child.
    fn authorize(&self, name: &str, key: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
        oordeel()
            .env("HOME", self.home.path())
            .arg("--db")
            .arg(&self.db.path)
            .args(["ssh", "authorize", name, "--key"])
            .arg(key)
            .args(extra)
            .assert()
    }

    fn authorized_keys(&self) -> PathBuf {
        self.home.path().join(".ssh").join("authorized_keys")
    }

    fn events(&self) -> i64 {
        query_i64(
            &self.db.path,
            "SELECT count(*) FROM events WHERE kind = 'ssh_key_authorized'",
        )
    }

    /// The line `authorize` prints for `name` and `key`, computed independently.
    fn expected_line(&self, name: &str, key: &str, lang: &str) -> String {
        let exe = std::fs::canonicalize(assert_cmd::cargo::cargo_bin("oordeel")).unwrap();
        let db = std::fs::canonicalize(&self.db.path).unwrap();
        let mut parts = key.split_whitespace();
        let (kind, body) = (parts.next().unwrap(), parts.next().unwrap());
        format!(
            "command=\"{} --db {} --lang {lang} review --as {name}\",restrict,pty {kind} {body} oordeel:{name}",
            exe.display(),
            db.display()
        )
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn prints_the_forced_command_line_and_logs_the_fingerprint() {
    let s = Setup::new();
    let key = s.key("id_ed25519.pub", &format!("{ANNA_KEY}\n"));
    let out = s.authorize("anna", &key, &[]).success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        format!("{}\n", s.expected_line("anna", ANNA_KEY, "en"))
    );
    // Printing writes nothing.
    assert!(!s.home.path().join(".ssh").exists());
    // The authorization is an event with the key's fingerprint, by the admin.
    let payload: String = rusqlite::Connection::open(&s.db.path)
        .unwrap()
        .query_row(
            "SELECT actor || ' ' || payload FROM events WHERE kind = 'ssh_key_authorized'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(payload.starts_with(&format!("{} ", os_user())), "{payload}");
    assert!(payload.contains(ANNA_FINGERPRINT), "{payload}");
    assert!(payload.contains(r#""written":false"#), "{payload}");
    oordeel()
        .arg("--db")
        .arg(&s.db.path)
        .arg("verify")
        .assert()
        .success();
}

#[test]
fn the_key_may_come_on_standard_input() {
    // For a .pub file the service account cannot read: `... --key - < anna.pub`.
    let s = Setup::new();
    oordeel()
        .env("HOME", s.home.path())
        .arg("--db")
        .arg(&s.db.path)
        .args(["ssh", "authorize", "anna", "--key", "-"])
        .write_stdin(format!("{ANNA_KEY}\n"))
        .assert()
        .success()
        .stdout(format!("{}\n", s.expected_line("anna", ANNA_KEY, "en")));
}

#[test]
fn the_language_of_the_run_goes_into_the_forced_command() {
    let s = Setup::new();
    let key = s.key("carla.pub", ECDSA_KEY);
    s.authorize("carla", &key, &["--lang", "nl"])
        .success()
        .stdout(format!("{}\n", s.expected_line("carla", ECDSA_KEY, "nl")));
}

#[test]
fn write_creates_a_private_ssh_dir_and_appends_the_line_once() {
    let s = Setup::new();
    let key = s.key("anna.pub", ANNA_KEY);
    s.authorize("anna", &key, &["--write"])
        .success()
        .stdout(contains(ANNA_FINGERPRINT))
        .stdout(contains("authorized_keys"));
    let file = s.authorized_keys();
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert_eq!(mode(&file), 0o600);
    let expected = format!("{}\n", s.expected_line("anna", ANNA_KEY, "en"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);

    // The same key for the same name again: refused, file unchanged, nothing logged.
    s.authorize("anna", &key, &["--write"])
        .failure()
        .stderr(contains("already authorized for anna"))
        .stderr(contains("line 1"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    assert_eq!(s.events(), 1);

    // Another user's key goes on the next line.
    let bram = s.key("bram.pub", BRAM_KEY);
    s.authorize("bram", &bram, &["--write"]).success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        format!("{expected}{}\n", s.expected_line("bram", BRAM_KEY, "en"))
    );
    assert_eq!(s.events(), 2);
}

#[test]
fn one_key_one_identity() {
    let s = Setup::new();
    let key = s.key("anna.pub", ANNA_KEY);
    s.authorize("anna", &key, &["--write"]).success();
    let before = std::fs::read_to_string(s.authorized_keys()).unwrap();
    for extra in [&["--write"][..], &[]] {
        s.authorize("bram", &key, extra)
            .failure()
            .stderr(contains("already belongs to anna"))
            .stderr(contains("one key, one identity"))
            .stdout("");
    }
    assert_eq!(
        std::fs::read_to_string(s.authorized_keys()).unwrap(),
        before
    );
    assert_eq!(s.events(), 1);
}

#[test]
fn an_existing_file_is_appended_to_cleanly_and_a_shell_key_is_not_rebound() {
    let s = Setup::new();
    let dir = s.home.path().join(".ssh");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    // An admin's own key, giving a shell, with no newline at the end of the file.
    std::fs::write(s.authorized_keys(), ADMIN_KEY).unwrap();
    std::fs::set_permissions(s.authorized_keys(), std::fs::Permissions::from_mode(0o600)).unwrap();

    let anna = s.key("anna.pub", ANNA_KEY);
    s.authorize("anna", &anna, &["--write"]).success();
    assert_eq!(
        std::fs::read_to_string(s.authorized_keys()).unwrap(),
        format!("{ADMIN_KEY}\n{}\n", s.expected_line("anna", ANNA_KEY, "en"))
    );

    let admin = s.key("admin.pub", ADMIN_KEY);
    s.authorize("bram", &admin, &["--write"])
        .failure()
        .stderr(contains("without a forced command"))
        .stderr(contains("line 1"));
}

#[test]
fn a_file_others_may_write_is_refused_as_sshd_would_ignore_it() {
    let s = Setup::new();
    let dir = s.home.path().join(".ssh");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(s.authorized_keys(), "").unwrap();
    std::fs::set_permissions(s.authorized_keys(), std::fs::Permissions::from_mode(0o666)).unwrap();
    let anna = s.key("anna.pub", ANNA_KEY);
    s.authorize("anna", &anna, &["--write"])
        .failure()
        .stderr(contains("StrictModes"))
        .stderr(contains("chmod go-w"));
    assert_eq!(std::fs::read_to_string(s.authorized_keys()).unwrap(), "");
}

#[test]
fn unknown_and_disabled_users_are_refused_with_the_admins_named() {
    let s = Setup::new();
    let key = s.key("zoe.pub", ANNA_KEY);
    s.authorize("zoe", &key, &["--write"])
        .failure()
        .stderr(contains("zoe is not a user of this database"))
        .stderr(contains("oordeel users add zoe"))
        .stderr(contains(format!("admins: {}", os_user())));
    oordeel()
        .arg("--db")
        .arg(&s.db.path)
        .args(["users", "disable", "bram"])
        .assert()
        .success();
    s.authorize("bram", &key, &["--write"])
        .failure()
        .stderr(contains("bram is disabled"))
        .stderr(contains("oordeel users enable bram"));
    s.authorize("Not A Name", &key, &[])
        .failure()
        .stderr(contains("not a valid user name"));
    assert!(!s.home.path().join(".ssh").exists());
    assert_eq!(s.events(), 0);
}

#[test]
fn only_an_admin_authorizes_keys() {
    let s = Setup::new();
    let key = s.key("bram.pub", BRAM_KEY);
    s.authorize("bram", &key, &["--as", "fatima", "--write"])
        .failure()
        .stderr(contains("fatima (supervisor) may not authorize SSH keys"));
    assert!(!s.home.path().join(".ssh").exists());
}

#[test]
fn bad_key_files_are_refused_each_with_its_own_message() {
    let s = Setup::new();
    let body = |k: &str| k.split_whitespace().nth(1).unwrap().to_owned();
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty.pub", String::new(), "the file is empty"),
        ("blank.pub", "\n\n".into(), "the file is empty"),
        (
            "id_ed25519",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n\
             -----END OPENSSH PRIVATE KEY-----\n"
                .into(),
            "this is a private key; give the .pub file",
        ),
        (
            "id_rsa",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"
                .into(),
            "this is a private key; give the .pub file",
        ),
        (
            "garbage.pub",
            "hello, this is not a key\n".into(),
            "does not look like an OpenSSH public key",
        ),
        ("binary.pub", "\u{0}\u{1}\u{2}".into(), "not a text file"),
        (
            "two.pub",
            format!("{ANNA_KEY}\n{BRAM_KEY}\n"),
            "holds 2 key lines",
        ),
        (
            "options.pub",
            format!("no-pty,from=\"10.0.0.1\" {ANNA_KEY}"),
            "already has authorized_keys options",
        ),
        (
            "base64.pub",
            format!("ssh-ed25519 {}!x anna", &body(ANNA_KEY)[..30]),
            "base64 text is damaged",
        ),
        (
            "cut.pub",
            format!("ssh-ed25519 {} anna", &body(ANNA_KEY)[..40]),
            "not a valid ssh-ed25519 key",
        ),
        (
            "relabelled.pub",
            format!("ssh-ed25519 {} carla", body(ECDSA_KEY)),
            "the key inside is ecdsa-sha2-nistp256",
        ),
        (
            "dsa.pub",
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP anna".into(),
            "key type ssh-dss is not accepted",
        ),
        ("typeonly.pub", "ssh-ed25519\n".into(), "base64 text) is missing"),
        (
            "putty.pub",
            "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"anna\"\nAAAAC3Nza\n---- END SSH2 PUBLIC KEY ----\n"
                .into(),
            "ssh-keygen -i -f",
        ),
    ];
    for (file, contents, message) in cases {
        let key = s.key(file, &contents);
        s.authorize("anna", &key, &["--write"])
            .failure()
            .stderr(contains(message))
            .stderr(contains(file))
            .stderr(contains("Nothing was written"))
            .stdout("");
        assert!(!s.home.path().join(".ssh").exists(), "{file}");
    }
    s.authorize("anna", &s.keys.path().join("missing.pub"), &[])
        .failure()
        .stderr(contains("missing.pub: cannot read the key"));
    assert_eq!(s.events(), 0);
}

#[test]
fn paths_are_quoted_for_the_shell_or_refused() {
    let s = Setup::new();
    let key = s.key("anna.pub", ANNA_KEY);
    let copy = |dir: &str| {
        let dir = s.keys.path().join(dir);
        std::fs::create_dir(&dir).unwrap();
        let db = dir.join("demo.db");
        std::fs::copy(&s.db.path, &db).unwrap();
        db
    };
    let spaced = std::fs::canonicalize(copy("gemeente data")).unwrap();
    let out = oordeel()
        .env("HOME", s.home.path())
        .arg("--db")
        .arg(&spaced)
        .args(["ssh", "authorize", "anna", "--key"])
        .arg(&key)
        .assert()
        .success();
    let line = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        line.contains(&format!("--db '{}' --lang", spaced.display())),
        "{line}"
    );
    let quoted = copy("we\"ird");
    oordeel()
        .env("HOME", s.home.path())
        .arg("--db")
        .arg(&quoted)
        .args(["ssh", "authorize", "anna", "--key"])
        .arg(&key)
        .assert()
        .failure()
        .stderr(contains("cannot go safely into an authorized_keys line"));
}

#[test]
fn someone_who_does_not_own_the_database_is_sent_to_its_owner() {
    // Needs a file owned by someone else: only root can make one.
    if !nix::unistd::Uid::current().is_root() {
        return;
    }
    let s = Setup::new();
    let key = s.key("anna.pub", ANNA_KEY);
    nix::unistd::chown(
        &s.db.path,
        Some(nix::unistd::Uid::from_raw(65534)),
        Some(nix::unistd::Gid::from_raw(65534)),
    )
    .unwrap();
    s.authorize("anna", &key, &["--write"])
        .failure()
        .stderr(contains(
            "the SSH forced command runs as the account that owns",
        ))
        .stderr(contains("sudo -u"));
    assert!(!s.home.path().join(".ssh").exists());
}

#[test]
fn authorize_has_help() {
    oordeel()
        .args(["ssh", "authorize", "--help"])
        .assert()
        .success()
        .stdout(contains("--key"))
        .stdout(contains("--write"));
}

#[test]
fn another_local_account_is_told_the_database_is_not_theirs() {
    // Needs a second account to run as: only root can switch.
    if !nix::unistd::Uid::current().is_root() {
        return;
    }
    use std::os::unix::process::CommandExt;
    let s = Setup::new();
    // The demo's directory is 0700, as the service account's is.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("oordeel"))
        .uid(65534)
        .gid(65534)
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .arg("--db")
        .arg(&s.db.path)
        .args(["--as", "anna", "export"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("may not read or write this database") && stderr.contains("ssh -t"),
        "{stderr}"
    );
}
