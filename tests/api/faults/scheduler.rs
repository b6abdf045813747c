//! SIGKILL while the scheduler of a server sends e-mails through the outbox.

use std::collections::HashMap;
use std::time::Duration;

use diesel::sql_types::{Nullable, Text};

use super::*;
use crate::recovery::world_in;
use crate::smtp_sink::SmtpSink;

const CASES: usize = 8;

#[derive(QueryableByName, Debug)]
struct Message {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Text>)]
    claimed_by: Option<String>,
}

fn messages(app: &TestApp) -> Vec<Message> {
    let sql = "SELECT id, status, claimed_by FROM outbox WHERE channel = 'email' ORDER BY id";
    match &mut app.conn() {
        recouvra::db::DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        recouvra::db::DbConn::Pg(c) => diesel::sql_query(sql).load(c),
    }
    .unwrap()
}

#[test]
fn a_server_killed_while_its_scheduler_sends_emails_never_sends_one_twice() {
    // Cases accepted on Friday 13 March; the server runs on Monday 16: the first step of each
    // (an e-mail with its letter) is due, the second (ten days later) is not.
    let w = world_in(TestApp::spawn(), "2026-03-13");
    let app = &w.app;
    for i in 1..CASES {
        let mut input = case_input(None);
        input["debtor"]["email"] = json!(format!("debtor{i}@example.test"));
        // A debtor of its own (the weekly cap of the rules of contact counts per debtor).
        input["debtor"]["siren"] = json!(nth_siren(i as u32));
        let id = app.open_case(&w.creditor.user.token, input);
        app.ok(
            Some(&w.agent.token),
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            json!({ "id": id }),
        );
    }
    // A relay that takes 300 ms to acknowledge each message, so the run lasts seconds.
    let sink = SmtpSink::slow(Duration::from_millis(300));
    let smtp = sink.url();
    let env = [
        ("RECOUVRA_SCHEDULER_INTERVAL", "1"),
        ("RECOUVRA_SMTP_URL", smtp.as_str()),
        ("RECOUVRA_TEST_TODAY", "2026-03-16"),
    ];
    let server = Server::start(app, &env);
    let killed = format!(":{}:", server.pid());
    // Killed once two messages arrived: the second waits for its acknowledgement.
    let arrived = sink.wait_for(2, Duration::from_secs(30)).len();
    assert!(arrived >= 2, "the scheduler sent nothing");
    server.kill9();
    let at_kill = messages(app);
    let sent_at_kill = at_kill.iter().filter(|m| m.status == "sent").count();
    assert!(
        sent_at_kill < CASES,
        "the kill came after the whole run: {at_kill:?}"
    );

    // Restarted: the run completes. A claim the dead process held is flagged `uncertain` at
    // once (its process is gone), with a task for an agent, and never resent blindly.
    let _server = Server::start(app, &env);
    wait_until(30, "the restarted scheduler to finish", || {
        let msgs = messages(app);
        msgs.len() == CASES
            && msgs
                .iter()
                .all(|m| m.status == "sent" || m.status == "uncertain")
    });
    // One more tick, so a duplicate would have had its chance to show.
    std::thread::sleep(Duration::from_millis(1500));
    let msgs = messages(app);
    assert_eq!(msgs.len(), CASES, "one e-mail per case: {msgs:?}");
    let mut received: HashMap<String, usize> = HashMap::new();
    for mail in sink.messages() {
        let id = crate::smtp_sink::header(&mail.data, "Message-ID").unwrap_or_default();
        *received
            .entry(id.trim_matches(['<', '>', ' ']).to_string())
            .or_default() += 1;
    }
    assert!(
        received.values().all(|&n| n == 1),
        "an e-mail went twice: {received:?}"
    );
    for m in &msgs {
        let got = received
            .get(&format!("outbox-{}@recouvra", m.id))
            .copied()
            .unwrap_or(0);
        if m.status == "sent" {
            assert_eq!(got, 1, "{m:?}");
        } else {
            // Received or not, it is the dead process's claim, left for an agent to check.
            assert!(
                m.claimed_by.as_deref().is_some_and(|w| w.contains(&killed)),
                "{m:?}"
            );
            let tasks = count(
                app,
                &format!(
                    "SELECT COUNT(*) AS n FROM tasks WHERE kind = 'message_failed' AND outbox_id = {}",
                    m.id
                ),
            );
            assert_eq!(tasks, 1, "{m:?} has its task");
        }
    }
    // Each case ran its first step exactly once.
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM case_recovery WHERE next_step = 2"
        ),
        CASES as i64
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM case_events WHERE kind = 'playbook_step'"
        ),
        CASES as i64
    );
    eprintln!(
        "killed after {sent_at_kill}/{CASES} e-mails confirmed; {} left uncertain",
        msgs.iter().filter(|m| m.status == "uncertain").count()
    );
    // The letters attached to the e-mails are documents with their blobs.
    fsck_clean(app);
    audit_intact(app);
}
