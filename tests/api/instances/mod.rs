//! Several instances on one PostgreSQL (issue 7): two `recouvra migrate` at once, two real
//! `recouvra serve` processes driven side by side, one killed with SIGKILL while the
//! schedulers work; then, from the database and a real SMTP sink, every due step ran once and
//! every e-mail left once (or, for the one B may have been sending, is flagged `uncertain`). Runs only with TEST_DATABASE_URL (SQLite is one process's file).

mod skip_locked;
mod support;

use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use support::*;

#[test]
fn two_instances_share_the_work_and_survive_one_killed() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped: several instances need PostgreSQL (set TEST_DATABASE_URL)");
        return;
    };
    let (url, name) = create_pg_database(&admin);
    let db = Database { admin, name, url };
    let data = tempfile::tempdir().unwrap();

    // Two migrations at once: both succeed, the advisory lock lets one apply everything.
    let runs: Vec<Child> = (0..2)
        .map(|_| {
            recouvra(&db, data.path())
                .arg("migrate")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut said: Vec<String> = runs
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            assert!(
                out.status.success(),
                "{text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            text
        })
        .collect();
    said.sort();
    let versions = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count();
    assert_eq!(
        said,
        vec![
            "0 migration(s) applied\n".to_string(),
            format!("{versions} migration(s) applied\n")
        ]
    );
    let mut pg = PgConnection::establish(&db.url).unwrap();
    let applied: i64 =
        diesel::dsl::sql::<BigInt>("SELECT COUNT(*) FROM __diesel_schema_migrations")
            .get_result(&mut pg)
            .unwrap();
    assert_eq!(applied as usize, versions);

    let mut conn = recouvra::db::connect(&db.url).unwrap();
    recouvra::admin::create_user(
        &mut conn,
        &recouvra::clock::Clock::default(),
        recouvra::config::HashCost::Test,
        None,
        &recouvra::admin::UserInput {
            email: "admin@agency.test".into(),
            display_name: "Admin".into(),
            role: recouvra::domain::parties::Role::Admin,
            organisation_id: None,
            password: Some(PASSWORD.into()),
            provisional: false,
        },
    )
    .unwrap();

    let sink = SmtpSink::start();
    let mut procs = Processes::default();
    let (a_child, a) = serve(&db, data.path(), "instance-a", &sink.url());
    procs.0.push(a_child);
    let (b_child, b) = serve(&db, data.path(), "instance-b", &sink.url());
    // Claims of B read `instance-b:<pid>:<start time>`.
    let b_worker = format!("instance-b:{}:", b_child.id());
    let by_b = |m: &Message| {
        m.claimed_by
            .as_deref()
            .is_some_and(|w| w.starts_with(&b_worker))
    };
    procs.0.push(b_child);
    wait_healthy(&a);
    wait_healthy(&b);

    // Sessions: a token from A works on B; a refresh on B rotates the pair, and the old
    // refresh token replayed on A is refused (the rotation lives in the database).
    let (admin_token, admin_refresh) = login(&a, "admin@agency.test");
    let me = ok(&b, Some(&admin_token), "{ me { email } }", json!({}));
    assert_eq!(me["me"]["email"], "admin@agency.test");
    let refreshed = ok(
        &b,
        None,
        "mutation($r: String!) { refresh(refreshToken: $r) { accessToken refreshToken } }",
        json!({ "r": admin_refresh }),
    );
    let admin_token = refreshed["refresh"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let replay = gql(
        &a,
        None,
        "mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }",
        json!({ "r": admin_refresh }),
    );
    assert!(replay.get("errors").is_some(), "replayed on A: {replay}");
    // The reuse revoked the whole sign-in on both instances.
    let new_refresh = refreshed["refresh"]["refreshToken"].as_str().unwrap();
    let after = gql(
        &b,
        None,
        "mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }",
        json!({ "r": new_refresh }),
    );
    assert!(after.get("errors").is_some(), "family revoked: {after}");
    // Its access tokens end with it, at once, on both instances (the session is checked on
    // every request): sign in again for what follows.
    for base in [&a, &b] {
        let refused = gql(base, Some(&admin_token), "{ me { email } }", json!({}));
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{base}: {refused}"
        );
    }
    let (admin_token, _) = login(&a, "admin@agency.test");
    ok(&b, Some(&admin_token), "{ me { email } }", json!({}));

    // The world, set up through both instances.
    let agency = ok(
        &a,
        Some(&admin_token),
        "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
        json!({ "i": org_input("AGENCY", "Recouvra Démo", "871866729") }),
    )["createOrganisation"]["id"]
        .clone();
    ok(
        &b,
        Some(&admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3 } }),
    );
    let creditor = ok(
        &a,
        Some(&admin_token),
        "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
        json!({ "i": org_input("CREDITOR", "Fournitures Lemaire", "732829320") }),
    )["createOrganisation"]["id"]
        .clone();
    ok(
        &a,
        Some(&admin_token),
        "mutation($i: MandateInput!) { createMandate(input: $i) { id } }",
        json!({ "i": { "organisationId": creditor, "signedOn": "2025-01-15", "commissionBps": 1200,
                      "terms": "Mandat de recouvrement amiable, commission 12 %." } }),
    );
    for (email, role, org) in [
        ("compta@lemaire.test", "CREDITOR", creditor.clone()),
        ("agent@agency.test", "AGENT", Value::Null),
    ] {
        ok(
            &b,
            Some(&admin_token),
            "mutation($i: UserInput!) { createUser(input: $i) { user { id } } }",
            json!({ "i": { "email": email, "displayName": email, "role": role,
                           "organisationId": org, "password": PASSWORD,
                           "provisional": false } }),
        );
    }
    let (creditor_token, _) = login(&b, "compta@lemaire.test");
    let (agent_token, _) = login(&a, "agent@agency.test");
    let mut ids = Vec::new();
    for i in 0..CASES {
        let mut input = case_input(None);
        input["debtor"]["email"] = json!(format!("debtor{i}@example.test"));
        // A debtor of its own (the weekly cap of the rules of contact counts per debtor).
        input["debtor"]["siren"] = json!(nth_siren(i as u32));
        let base = if i % 2 == 0 { &a } else { &b };
        let d = ok(
            base,
            Some(&creditor_token),
            OPEN_CASE,
            json!({ "i": input }),
        );
        ids.push(d["openCase"]["id"].as_str().unwrap().to_string());
    }
    // Accepted in a burst through both instances: the first step (an e-mail with the first
    // letter) is due at once for every case, and both schedulers run every second.
    for (i, id) in ids.iter().enumerate() {
        let base = if i % 2 == 0 { &b } else { &a };
        ok(
            base,
            Some(&agent_token),
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            json!({ "id": id }),
        );
    }

    // Kill B with SIGKILL once it has taken some of the work, while some is left.
    let started = Instant::now();
    let sent_when_killed = loop {
        let msgs = messages(&mut pg);
        let b_took = msgs.iter().filter(|m| by_b(m)).count();
        let unclaimed = msgs.iter().filter(|m| m.status == "pending").count();
        // A few of B's claims, so B is mid-run with work done and work left; or its first
        // claim if the queue is nearly drained already.
        if b_took >= 3 || (b_took > 0 && msgs.len() == CASES && unclaimed < 3) {
            procs.0[1].kill().unwrap();
            procs.0[1].wait().unwrap();
            break msgs.iter().filter(|m| m.status == "sent").count();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "instance B never took any work: {msgs:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };

    // A finishes: every case past its first step, nothing pending any more.
    let started = Instant::now();
    loop {
        let rows = progress(&mut pg);
        // Nothing waiting, and no claim left in `sending`: B's, if any, flagged by A.
        let pending = messages(&mut pg)
            .iter()
            .filter(|m| m.status == "pending" || m.status == "sending")
            .count();
        if rows.len() == CASES && rows.iter().all(|r| r.next_step == 2) && pending == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "A did not finish: {rows:?}, {pending} pending"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // One more scheduler tick of A, so a duplicate would have had its chance to show.
    std::thread::sleep(Duration::from_millis(1500));

    let rows = progress(&mut pg);
    let msgs = messages(&mut pg);
    // A claim B left: the message may or may not have gone. A saw B die (its presence lock
    // went with its session) and flagged it `uncertain` with a task, without resending it.
    let in_doubt: Vec<&Message> = msgs.iter().filter(|m| m.status == "uncertain").collect();
    for m in &in_doubt {
        assert!(by_b(m), "{m:?}");
        let tasks: i64 = diesel::dsl::sql::<BigInt>(&format!(
            "SELECT COUNT(*) FROM tasks WHERE kind = 'message_failed' AND outbox_id = {}",
            m.id
        ))
        .get_result(&mut pg)
        .unwrap();
        assert_eq!(tasks, 1, "{m:?} has its task");
    }
    // Each e-mail carries its outbox id in its Message-ID (`outbox-<id>@recouvra`).
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for mail in sink.messages() {
        let id = crate::smtp_sink::header(&mail.data, "Message-ID").unwrap_or_default();
        *per_id
            .entry(id.trim_matches(['<', '>', ' ']).to_string())
            .or_default() += 1;
    }
    assert!(
        per_id.values().all(|&n| n == 1),
        "a message went twice: {per_id:?}"
    );
    assert_eq!(rows.len(), CASES);
    for r in &rows {
        assert_eq!(r.steps, 1, "step 1 of case {} ran once: {r:?}", r.case_id);
        let mine: Vec<&Message> = msgs
            .iter()
            .filter(|m| m.case_id == Some(r.case_id))
            .collect();
        assert_eq!(
            mine.len(),
            1,
            "one e-mail queued for case {}: {mine:?}",
            r.case_id
        );
        let m = mine[0];
        let got = per_id
            .get(&format!("outbox-{}@recouvra", m.id))
            .copied()
            .unwrap_or(0);
        if m.status == "sent" {
            assert_eq!(got, 1, "{m:?} received {got} time(s)");
            assert_eq!(r.sent, 1, "{r:?}");
        } else {
            assert_eq!(m.status, "uncertain", "{m:?}");
            assert!(got <= 1, "{m:?} received {got} time(s)");
            assert_eq!(r.sent, 0, "{r:?}");
        }
    }
    eprintln!(
        "B killed after {sent_when_killed}/{CASES} e-mails sent; {} claim(s) left in doubt",
        in_doubt.len()
    );

    let out = recouvra(&db, data.path())
        .arg("verify-audit")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("audit trail intact: {CASES} case(s)")),
        "{text}"
    );
}
