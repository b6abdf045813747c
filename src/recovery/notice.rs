//! The formal notice (mise en demeure, C. civ. 1344): produced as a registered letter (by the
//! playbook's last step, or by an agent at any time of amicable recovery), then posted — the
//! agent records the posting date and the tracking number, the case enters FormalNotice and
//! its deadline runs — and later delivered.
//!
//! Deadline *(convention)*: the letter gives the debtor the agency's formal-notice days
//! (8–30) from its date, as a calendar date moved off weekends and holidays (CPC 642). If it
//! is posted or delivered later, the debtor still gets those days from the posting or the
//! delivery: the deadline is the latest of the three.

use chrono::NaiveDate;

use crate::auth::Actor;
use crate::cases::actions::{act, no_change};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::documents::letters::LetterKind;
use crate::domain::calendar;
use crate::domain::playbook::{Channel, Template};
use crate::domain::workflow::{Action, CaseState};
use crate::error::{AppError, AppResult};
use crate::store::cases::Case;
use crate::store::outbox;
use crate::store::recovery::{self as rec_store, CaseRecovery};
use crate::store::tasks;
use crate::validate;

fn recovery_of(conn: &mut DbConn, case: &Case) -> AppResult<CaseRecovery> {
    rec_store::case_recovery(conn, case.id)?
        .ok_or_else(|| AppError::invalid_transition("accept the case first"))
}

fn deadline_from(conn: &mut DbConn, day: NaiveDate) -> AppResult<NaiveDate> {
    let days = u32::try_from(rec_store::settings(conn)?.formal_notice_days).unwrap_or(8);
    calendar::add_days_deadline(day, days)
        .map_err(|_| AppError::validation("postedOn", "date out of range"))
}

/// An agent has the formal notice produced now (registered letter waiting to be posted).
pub fn prepare(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::PrepareFormalNotice,
        |case, _, conn| {
            let now = clock.now();
            // Rules of contact: no formal notice for a prescribed claim (C. civ. 2219).
            crate::legal::eligibility::require_not_prescribed(conn, case, clock.today())?;
            let mut rec = recovery_of(conn, case)?;
            if rec.formal_notice_on.is_some() {
                return Err(AppError::invalid_transition(
                    "the formal notice is already produced: post it and record its tracking number",
                ));
            }
            let produced = super::letters::produce(
                conn,
                blobs,
                now,
                case,
                &mut rec,
                LetterKind::FormalNotice,
                true,
                Some(actor.user_id),
            )?;
            rec_store::save_case_recovery(conn, &rec)?;
            let (message, _) = super::queue::queue_letter(
                conn,
                now,
                case,
                Channel::RegisteredLetter,
                Template::FormalNotice,
                &produced,
            )?;
            Ok((
                no_change(),
                "formal_notice_prepared",
                serde_json::json!({ "document_id": produced.document.id, "reference": produced.document.reference, "outbox_id": message }),
            ))
        },
    )
}

/// The registered letter was posted: the case enters FormalNotice, its deadline runs.
pub fn post(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    posted_on: NaiveDate,
    tracking_number: &str,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let tracking = validate::required("trackingNumber", tracking_number, 40)?;
    if posted_on > clock.today() {
        return Err(AppError::validation(
            "postedOn",
            "the date is in the future",
        ));
    }
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::PostFormalNotice,
        |case, _, conn| {
            let now = clock.now();
            let mut rec = recovery_of(conn, case)?;
            let (Some(letter_on), Some(printed)) =
                (rec.formal_notice_on, rec.formal_notice_deadline)
            else {
                return Err(AppError::invalid_transition(
                    "produce the formal notice before posting it",
                ));
            };
            if posted_on < letter_on {
                return Err(AppError::validation(
                    "postedOn",
                    "the date is before the letter's",
                ));
            }
            let deadline = printed.max(deadline_from(conn, posted_on)?);
            rec.formal_notice_posted_on = Some(posted_on);
            rec.formal_notice_tracking = Some(tracking.clone());
            rec.formal_notice_deadline = Some(deadline);
            rec_store::save_case_recovery(conn, &rec)?;
            // The letter waiting in the outbox is now posted, and the task to post it done.
            for m in outbox::of_case(conn, case.id)? {
                if m.kind == "formal_notice" && m.status == "to_post" {
                    outbox::set_status(conn, m.id, &["to_post"], "posted", Some(&tracking), now)?;
                    for t in tasks::of_case(conn, case.id)? {
                        if t.outbox_id == Some(m.id) && t.status == "open" {
                            tasks::close(conn, t.id, "done", Some(actor.user_id), None, now)?;
                        }
                    }
                }
            }
            Ok((
                no_change(),
                "formal_notice_posted",
                serde_json::json!({
                    "posted_on": posted_on.to_string(), "tracking_number": tracking, "deadline": deadline.to_string()
                }),
            ))
        },
    )
}

/// The registered letter's delivery (first presentation) date, from the postal tracking.
pub fn record_delivery(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    delivered_on: NaiveDate,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    if delivered_on > clock.today() {
        return Err(AppError::validation(
            "deliveredOn",
            "the date is in the future",
        ));
    }
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordDelivery,
        |case, _, conn| {
            let mut rec = recovery_of(conn, case)?;
            let Some(posted) = rec.formal_notice_posted_on else {
                return Err(AppError::invalid_transition(
                    "the formal notice was not posted",
                ));
            };
            if delivered_on < posted {
                return Err(AppError::validation(
                    "deliveredOn",
                    "the date is before the posting",
                ));
            }
            let deadline = rec
                .formal_notice_deadline
                .unwrap_or(delivered_on)
                .max(deadline_from(conn, delivered_on)?);
            rec.formal_notice_delivered_on = Some(delivered_on);
            rec.formal_notice_deadline = Some(deadline);
            if case.state == CaseState::FormalNotice.as_str() {
                rec.formal_notice_expired = false;
            }
            rec_store::save_case_recovery(conn, &rec)?;
            Ok((
                no_change(),
                "formal_notice_delivered",
                serde_json::json!({ "delivered_on": delivered_on.to_string(), "deadline": deadline.to_string() }),
            ))
        },
    )
}
