//! After filing: the order, its service, the opposition window, the enforceable title and
//! the hand-over for enforcement (CPC 1407–1422). Dates are checked by the pure rules of
//! `domain::legal::procedure` (none in the future, each after the one before, service of a
//! lapsed order refused, an opposition only inside its window); the deadlines of the
//! current step become tasks of the queue before they fall.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::legal::enforcement::{self, MeasureKind};
use crate::domain::legal::procedure::{
    self as rules, Deadline, DeadlineKind, OrderOutcome, ProcedureFacts, Step,
};
use crate::domain::money;
use crate::domain::workflow::Action;
use crate::error::{AppError, AppResult};
use crate::store::cases::Case;
use crate::store::legal::{self as store, Proceeding};
use crate::store::tasks::{self, NewTask};
use crate::validate;

use crate::cases::actions::{act, no_change};

/// Task kind of the legal deadlines in the queue.
pub const DEADLINE_TASK: &str = "legal_deadline";

/// How many days before a deadline its task is due *(convention)*: a month to have an order
/// served (CPC 1411), the day itself to record an enforceable title (CPC 1422), and the
/// prescription's warning window before filing (LEGAL.md §4).
fn lead_days(kind: DeadlineKind) -> u64 {
    match kind {
        DeadlineKind::ServeOrder => 30,
        DeadlineKind::Prescription => crate::domain::deadlines::PRESCRIPTION_WARNING_DAYS,
        DeadlineKind::OppositionWindowEnds
        | DeadlineKind::EnforceableFrom
        | DeadlineKind::EnforcementEnds => 0,
    }
}

/// The proceeding's facts as the pure rules read them.
pub fn facts(p: &Proceeding) -> ProcedureFacts {
    ProcedureFacts {
        referred_on: Some(p.referred_at.date()),
        filed_on: p.filed_on,
        order_on: p.order_on,
        order_outcome: p.order_outcome.as_deref().and_then(parse_outcome),
        served_on: p.served_on,
        served_in_person: p.served_in_person,
        first_personal_act_on: p.first_personal_act_on,
        opposed_on: p.opposed_on,
        enforceable_on: p.enforceable_on,
        last_enforcement_act_on: p.last_enforcement_act_on,
    }
}

pub fn outcome_text(o: OrderOutcome) -> &'static str {
    match o {
        OrderOutcome::Granted => "granted",
        OrderOutcome::PartiallyGranted => "partially_granted",
        OrderOutcome::Rejected => "rejected",
    }
}

pub fn parse_outcome(text: &str) -> Option<OrderOutcome> {
    match text {
        "granted" => Some(OrderOutcome::Granted),
        "partially_granted" => Some(OrderOutcome::PartiallyGranted),
        "rejected" => Some(OrderOutcome::Rejected),
        _ => None,
    }
}

/// The live deadlines of a proceeding as of `today`; `earliest_prescription` matters until
/// filing (a court claim interrupts it, C. civ. 2241).
pub fn deadlines_of(
    p: &Proceeding,
    earliest_prescription: Option<NaiveDate>,
    today: NaiveDate,
) -> AppResult<Vec<Deadline>> {
    rules::deadlines(&facts(p), earliest_prescription, today)
        .map_err(|e| AppError::validation("date", e.to_string()))
}

/// Whether a granted order lapsed unserved (CPC 1411: six months from its date).
pub fn order_lapsed(p: &Proceeding, today: NaiveDate) -> AppResult<bool> {
    rules::order_lapsed(&facts(p), today).map_err(|e| AppError::validation("date", e.to_string()))
}

/// Replaces the case's deadline tasks with those of the proceeding's current step.
fn refresh_tasks(conn: &mut DbConn, p: &Proceeding, now: NaiveDateTime) -> AppResult<()> {
    tasks::cancel_open_of_kind(conn, p.case_id, DEADLINE_TASK, now)?;
    for d in deadlines_of(p, None, now.date())? {
        if d.missed || d.kind == DeadlineKind::EnforcementEnds {
            continue;
        }
        let due_on = d
            .date
            .checked_sub_days(Days::new(lead_days(d.kind)))
            .unwrap_or(d.date);
        let title = format!(
            "{} — {}",
            d.title,
            crate::documents::letters::format_date(d.date)
        );
        tasks::insert(
            conn,
            &NewTask {
                case_id: p.case_id,
                kind: DEADLINE_TASK,
                title: &title,
                due_on,
                status: "open",
                outbox_id: None,
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// The argument that carries a step's date, named in a refusal.
fn date_field(step: Step) -> &'static str {
    match step {
        Step::Filing => "filedOn",
        Step::Service => "servedOn",
        Step::Opposition => "opposedOn",
        Step::Order | Step::Enforceable | Step::HandOver => "date",
    }
}

/// Common path of a procedure step: the case action (role, state, version, event), the
/// proceeding loaded in the same transaction, the date checked against the facts, the
/// proceeding saved and its deadline tasks renewed.
#[allow(clippy::too_many_arguments)]
fn step(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
    action: Action,
    rule: Option<(Step, NaiveDate)>,
    apply: impl FnOnce(&mut Proceeding, &mut DbConn) -> AppResult<(&'static str, serde_json::Value)>,
) -> AppResult<Case> {
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        action,
        |case, _, conn| {
            let mut p = store::find(conn, case.id)?.ok_or_else(|| {
                AppError::invalid_transition("the case has not been referred to a lawyer")
            })?;
            if let Some((s, date)) = rule {
                rules::check_step(&facts(&p), s, date, clock.today())
                    .map_err(|why| AppError::validation(date_field(s), why))?;
                if s == Step::Filing {
                    // The same rule as the dossier's: no requête while a blocking condition
                    // of the eligibility report fails on the filing day (CPC 1405–1407).
                    let assessment = super::eligibility::assess_case(conn, case, date)?;
                    super::eligibility::require_eligible(&assessment.report)?;
                }
            }
            let (kind, payload) = apply(&mut p, conn)?;
            store::save(conn, &p)?;
            refresh_tasks(conn, &p, clock.now())?;
            Ok((no_change(), kind, payload))
        },
    )
}

/// The requête was filed: its date and the court's reference (numéro de requête / RG).
pub fn record_filing(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    filed_on: NaiveDate,
    reference: &str,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let reference = validate::required("reference", reference, 100)?;
    // CPC 1407: the requête names its filer; no filing while the lawyer's firm is unknown.
    let (_, proceeding) = super::load_proceeding(conn, actor, case_id)?;
    super::profile::filer(conn, proceeding.lawyer_id)?;
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordFiling,
        Some((Step::Filing, filed_on)),
        |p, _| {
            if p.court_name.is_none() {
                return Err(AppError::validation(
                    "court",
                    "confirm the competent court before recording the filing",
                ));
            }
            p.filed_on = Some(filed_on);
            p.filing_reference = Some(reference.clone());
            Ok((
                "requete_filed",
                serde_json::json!({ "filed_on": filed_on, "reference": reference, "court": p.court_name }),
            ))
        },
    )
}

/// The judge's order (CPC 1409): granted in full, in part (with the amount granted), or
/// rejected.
#[allow(clippy::too_many_arguments)]
pub fn record_order(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    order_on: NaiveDate,
    outcome: OrderOutcome,
    amount: Option<Decimal>,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let amount_cents = match (outcome, amount) {
        (OrderOutcome::PartiallyGranted, Some(a)) => Some(
            money::to_cents(a)
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| AppError::validation("amount", "a positive amount in euros"))?,
        ),
        (OrderOutcome::PartiallyGranted, None) => {
            return Err(AppError::validation(
                "amount",
                "say which amount the order grants",
            ))
        }
        (_, Some(_)) => {
            return Err(AppError::validation(
                "amount",
                "an amount is given only for an order granted in part",
            ))
        }
        (_, None) => None,
    };
    let action = match outcome {
        OrderOutcome::Rejected => Action::RecordOrderRejected,
        _ => Action::RecordOrderGranted,
    };
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        action,
        Some((Step::Order, order_on)),
        |p, _| {
            p.order_on = Some(order_on);
            p.order_outcome = Some(outcome_text(outcome).to_string());
            p.order_amount_cents = amount_cents;
            Ok((
                "order_recorded",
                serde_json::json!({
                    "order_on": order_on,
                    "outcome": outcome_text(outcome),
                    "amount_cents": amount_cents,
                }),
            ))
        },
    )
}

/// The order was served by a commissaire de justice (CPC 1411); when not to the debtor in
/// person, the opposition window starts from the first act served in person (CPC 1416 al. 2),
/// which may be known now or recorded later.
#[allow(clippy::too_many_arguments)]
pub fn record_service(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    served_on: NaiveDate,
    in_person: bool,
    first_personal_act_on: Option<NaiveDate>,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    if in_person && first_personal_act_on.is_some() {
        return Err(AppError::validation(
            "firstPersonalActOn",
            "only for a service not made to the debtor in person",
        ));
    }
    if first_personal_act_on.is_some_and(|d| d < served_on || d > clock.today()) {
        return Err(AppError::validation(
            "firstPersonalActOn",
            "between the service and today",
        ));
    }
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordService,
        Some((Step::Service, served_on)),
        |p, _| {
            p.served_on = Some(served_on);
            p.served_in_person = Some(in_person);
            p.first_personal_act_on = first_personal_act_on;
            Ok((
                "order_served",
                serde_json::json!({
                    "served_on": served_on,
                    "in_person": in_person,
                    "first_personal_act_on": first_personal_act_on,
                }),
            ))
        },
    )
}

/// After a service not made in person: the first act served to the debtor in person (or the
/// first enforcement measure making their assets unavailable) starts the opposition window.
pub fn record_first_personal_act(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    date: NaiveDate,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordPersonalAct,
        None,
        |p, _| {
            match (p.served_on, p.served_in_person) {
                (Some(_), Some(true)) => {
                    return Err(AppError::validation(
                        "date",
                        "the order was served in person: the window already runs from the service",
                    ))
                }
                (Some(s), _) if date < s || date > clock.today() => {
                    return Err(AppError::validation(
                        "date",
                        "between the service and today",
                    ))
                }
                (None, _) => {
                    return Err(AppError::invalid_transition(
                        "the order has not been served",
                    ))
                }
                _ => {}
            }
            if p.first_personal_act_on.is_some() {
                return Err(AppError::validation("date", "already recorded"));
            }
            p.first_personal_act_on = Some(date);
            Ok((
                "first_personal_act_recorded",
                serde_json::json!({ "date": date }),
            ))
        },
    )
}

/// The debtor opposed the order (CPC 1416): the case leaves for contentious proceedings and
/// is closed as handed over.
pub fn record_opposition(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    opposed_on: NaiveDate,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordOpposition,
        Some((Step::Opposition, opposed_on)),
        |p, _| {
            p.opposed_on = Some(opposed_on);
            Ok((
                "order_opposed",
                serde_json::json!({ "opposed_on": opposed_on }),
            ))
        },
    )
}

/// The opposition window closed without opposition: the order is an enforceable title from
/// the day after the window (CPC 1422; it bears the enforcement formula since 2022, CPC 1410).
pub fn record_enforceable(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordEnforceable,
        None,
        |p, _| {
            let from = rules::can_become_enforceable(&facts(p), clock.today())
                .map_err(|e| AppError::validation("date", e.to_string()))?
                .map_err(AppError::invalid_transition)?;
            p.enforceable_on = Some(from);
            Ok((
                "order_enforceable",
                serde_json::json!({ "enforceable_on": from }),
            ))
        },
    )
}

/// The title is handed to a commissaire de justice for enforcement.
pub fn hand_over(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    date: NaiveDate,
    officer: &str,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let officer = validate::required("officer", officer, 200)?;
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::HandOverEnforcement,
        Some((Step::HandOver, date)),
        |p, _| {
            p.handed_over_on = Some(date);
            p.enforcement_officer = Some(officer.clone());
            Ok((
                "handed_over_for_enforcement",
                serde_json::json!({ "date": date, "officer": officer }),
            ))
        },
    )
}

/// A conservatory measure or an act of enforcement carried out by a commissaire de justice
/// (CPCE L511-1, L111-2). It interrupts prescription (C. civ. 2244): before filing, the
/// eligibility report counts it (`eligibility::interruptions_of`); after the title, the ten
/// years of CPCE L111-4 run again from the latest act. After a service not made in person,
/// the first attachment starts the opposition month (CPC 1416 al. 2).
#[allow(clippy::too_many_arguments)]
pub fn record_measure(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    kind: MeasureKind,
    date: NaiveDate,
    officer: &str,
    reference: Option<&str>,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let officer = validate::required("officer", officer, 200)?;
    let reference = validate::optional("reference", reference, 100)?;
    step(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordMeasure,
        None,
        |p, conn| {
            let before = facts(p);
            enforcement::check_measure(&before, kind, date, clock.today())
                .map_err(|why| AppError::validation("date", why))?;
            let after = enforcement::apply_measure(&before, kind, date);
            p.last_enforcement_act_on = after.last_enforcement_act_on;
            p.first_personal_act_on = after.first_personal_act_on;
            store::insert_measure(
                conn,
                &store::NewMeasure {
                    case_id: p.case_id,
                    kind: kind.as_str(),
                    measure_on: date,
                    officer: &officer,
                    reference: reference.as_deref(),
                    recorded_by: actor.user_id,
                    recorded_at: clock.now(),
                },
            )?;
            Ok((
                "enforcement_measure_recorded",
                serde_json::json!({
                    "kind": kind.as_str(),
                    "date": date,
                    "officer": officer,
                    "reference": reference,
                    "article": kind.article(),
                    "opposition_month_from": after
                        .first_personal_act_on
                        .filter(|_| before.first_personal_act_on.is_none()),
                }),
            ))
        },
    )
}
