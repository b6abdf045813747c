//! The debtor's side (issue 17): the link printed on every letter and e-mail to the debtor,
//! the check question behind it, the page of the case it opens, and what the debtor may do
//! there.
//!
//! - **Links.** Each letter (and the e-mail that carries it) gets a link of its own: 16 random
//!   bytes (`auth::tokens::random_token`), of which `debtor_links` keeps only the SHA-256, so
//!   what is printed cannot be read back from the database. An agent revokes every link of a
//!   case at once and issues a new one (shown once, to be given by phone or e-mail). A link
//!   stops with its case, [`GRACE_DAYS`] after the case closed (the last receipt stays
//!   reachable meanwhile, read-only).
//! - **The check question.** The link alone opens nothing: the debtor types the postal code of
//!   the address the letter went to, or one of the invoice numbers. Failed answers are
//!   counted per link and per client address (`login_attempts`, as sign-ins are), and every
//!   answer, right or wrong, is a case event.
//! - **The debtor's actions** go through the agents' use cases (a promise, a dispute, a plan:
//!   the same rules, the same creditor notices, the same pause of the playbook), acted by the
//!   agency's « Espace débiteur », an account that cannot sign in (inactive, no password),
//!   created the first time a debtor acts. What needs an agent (a payment the debtor says is
//!   made, a call back, a new address) is a task, never recorded until the agent confirms.

pub mod card;
pub mod pieces;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::auth::{tokens, Actor};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::parties::Role;
use crate::domain::workflow::{self, Action, CaseState};
use crate::domain::{epc, fmt, money, search};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::recovery::arrangements::{self, DisputeReason, InstalmentInput};
use crate::store::cases::{self as case_store, Case};
use crate::store::debtor_links::{self as store, DebtorLink, NewDebtorLink};
use crate::store::{
    arrangements as arr_store, documents, events, payments, tasks, throttle, users,
};

/// Random bytes of a link's token (128 bits).
pub const TOKEN_BYTES: usize = 16;
/// How long a link still opens its case after the case closed (the last receipt).
pub const GRACE_DAYS: i64 = 30;
/// The window in which wrong answers are counted.
pub const CHECK_WINDOW_MINUTES: i64 = 15;
/// Wrong answers to one link's question within the window before it is locked.
pub const MAX_FAILED_PER_LINK: i32 = 5;
/// Answers from one client address within the window (any link) before it is locked.
pub const MAX_PER_ADDRESS: i32 = 30;
/// The documents the debtor sees: what was sent to them — the letters (CPCE R124-4) and the
/// receipt of every payment (R124-6).
const DEBTOR_DOCUMENTS: [&str; 4] = [
    "first_letter",
    "reminder_letter",
    "formal_notice",
    "receipt",
];
/// The account the debtor's own actions are recorded under (it cannot sign in).
const DESK_EMAIL: &str = "espace-debiteur@recouvra.invalid";
const DESK_NAME: &str = "Espace débiteur";

/// The path of a debtor's link, under the portal's address.
pub fn path(token: &str) -> String {
    format!("/d/{token}")
}

/// The full address printed on a letter: the agency's portal address (its settings) and the
/// path; `None` while the agency has not set its portal's address.
pub fn url(portal_url: &str, token: &str) -> Option<String> {
    let base = portal_url.trim().trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}{}", path(token)))
}

/// A new link for the case, inside the caller's transaction: its token.
pub(crate) fn issue(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case_id: i64,
    printed_on: Option<&str>,
    by: Option<i64>,
) -> AppResult<String> {
    let token = tokens::random_token(TOKEN_BYTES);
    store::insert(
        conn,
        &NewDebtorLink {
            case_id,
            token_hash: &tokens::token_hash(&token),
            printed_on,
            created_at: now,
            created_by: by,
        },
    )?;
    Ok(token)
}

/// The address to print on a letter or an e-mail to the debtor: a new link of its own
/// (inside the caller's transaction), or `None` while the agency has not set its portal's
/// address (then no link is issued).
pub(crate) fn printed_link(
    conn: &mut DbConn,
    now: NaiveDateTime,
    portal_url: &str,
    case_id: i64,
    printed_on: Option<&str>,
    by: Option<i64>,
) -> AppResult<Option<String>> {
    if portal_url.trim().is_empty() {
        return Ok(None);
    }
    let token = issue(conn, now, case_id, printed_on, by)?;
    Ok(url(portal_url, &token))
}

/// What [`renew`] did: the new link's token (shown once), how many links it revoked, and the
/// case's reference.
pub struct Renewed {
    pub token: Option<String>,
    pub revoked: usize,
    pub reference: String,
}

/// Revokes every link of the case (agency staff) and, with `new_link`, issues a new one, in
/// one transaction with its case event.
pub fn renew(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    new_link: bool,
) -> AppResult<Renewed> {
    actor.require_staff()?;
    db::transaction(conn, |conn| {
        let case = crate::cases::load_visible(conn, actor, case_id)?;
        let now = clock.now();
        let revoked = store::revoke_all_of(conn, case.id, now)?;
        let token = match new_link {
            true => Some(issue(conn, now, case.id, None, Some(actor.user_id))?),
            false => None,
        };
        events::append(
            conn,
            case.id,
            now,
            Some(actor.user_id),
            if new_link {
                "debtor_link_issued"
            } else {
                "debtor_links_revoked"
            },
            &serde_json::json!({ "revoked": revoked }),
        )?;
        Ok(Renewed {
            token,
            revoked,
            reference: case.reference,
        })
    })
}

/// The case's live links (agency staff), newest first.
pub fn live_links(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<DebtorLink>> {
    actor.require_staff()?;
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    Ok(store::live_of(conn, case.id)?)
}

fn gone() -> AppError {
    AppError::not_found("link")
}

/// The link and its case, if the link is live and its case open or closed less than
/// [`GRACE_DAYS`] ago; anything else is `NOT_FOUND`, saying nothing more.
fn usable(
    conn: &mut DbConn,
    now: NaiveDateTime,
    link: Option<DebtorLink>,
) -> AppResult<(DebtorLink, Case)> {
    let link = link.ok_or_else(gone)?;
    let case = case_store::find(conn, link.case_id)?.ok_or_else(gone)?;
    if case
        .closed_at
        .is_some_and(|closed| closed + Duration::days(GRACE_DAYS) <= now)
    {
        return Err(gone());
    }
    Ok((link, case))
}

/// The link of a token (see [`usable`]).
pub fn find(conn: &mut DbConn, now: NaiveDateTime, token: &str) -> AppResult<(DebtorLink, Case)> {
    let link = store::find_live_by_hash(conn, &tokens::token_hash(token))?;
    usable(conn, now, link)
}

/// The link a debtor's session names (see [`usable`]).
pub fn by_id(conn: &mut DbConn, now: NaiveDateTime, link_id: i64) -> AppResult<(DebtorLink, Case)> {
    let link = store::find_live(conn, link_id)?;
    usable(conn, now, link)
}

/// Whether `answer` is the postal code of the debtor's address or one of the case's invoice
/// numbers: compared without spaces, case or accents.
fn answers(conn: &mut DbConn, case: &Case, answer: &str) -> AppResult<bool> {
    let norm = |s: &str| -> String {
        search::fold(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let given = norm(answer);
    if given.len() < 3 {
        return Ok(false);
    }
    let debtor = case_store::find_debtors(conn, &[case.debtor_id])?;
    if debtor.iter().any(|d| norm(&d.postal_code) == given) {
        return Ok(true);
    }
    let invoices = case_store::invoices_of(conn, &[case.id])?;
    Ok(invoices.iter().any(|i| norm(&i.number) == given))
}

fn locked(until: NaiveDateTime) -> AppError {
    AppError::new(
        ErrorCode::Locked,
        format!(
            "too many attempts: try again after {} UTC",
            until.format("%Y-%m-%d %H:%M")
        ),
    )
}

/// Checks the debtor's answer to the link's question: the link's id, for the session. Wrong
/// answers are counted per link and per client address; past the limits the link (or the
/// address) is `LOCKED` for the window, whatever the answer. Every answer is a case event.
pub fn check(
    conn: &mut DbConn,
    clock: &Clock,
    token: &str,
    answer: &str,
    ip: Option<&str>,
) -> AppResult<i64> {
    let now = clock.now();
    let window = Duration::minutes(CHECK_WINDOW_MINUTES);
    let address = ip.and_then(crate::accounts::address_key);
    if let Some(a) = &address {
        let (n, since) = throttle::count_attempt(conn, &format!("debtor {a}"), now, now - window)?;
        if n > MAX_PER_ADDRESS {
            return Err(locked(since + window));
        }
    }
    let (link, case) = find(conn, now, token)?;
    let key = format!("debtor-link {}", link.id);
    let (n, since) = throttle::count_attempt(conn, &key, now, now - window)?;
    if n > MAX_FAILED_PER_LINK {
        return Err(locked(since + window));
    }
    let right = answers(conn, &case, answer)?;
    db::transaction(conn, |conn| {
        events::append(
            conn,
            case.id,
            now,
            None,
            if right {
                "debtor_page_opened"
            } else {
                "debtor_check_failed"
            },
            &serde_json::json!({ "link_id": link.id, "address": address }),
        )?;
        if right {
            // The limit is on wrong answers: a debtor who comes back is not locked out.
            throttle::refund(conn, &key)?;
            if let Some(a) = &address {
                throttle::refund(conn, &format!("debtor {a}"))?;
            }
        }
        Ok(())
    })?;
    if right {
        Ok(link.id)
    } else {
        Err(AppError::validation(
            "answer",
            "this is neither the postal code of the letter's address nor one of the invoice numbers",
        ))
    }
}

/// The account the debtor's actions are recorded under: an agent that cannot sign in
/// (inactive, no password hash an argon2 check could match), created on first use. Called
/// outside a transaction (a concurrent first use fails its insert and reads the other's row).
fn desk(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Actor> {
    let user = match users::find_by_email(conn, DESK_EMAIL)? {
        Some(u) => u,
        None => match users::insert(
            conn,
            &users::NewUser {
                email: DESK_EMAIL,
                display_name: DESK_NAME,
                password_hash: "!",
                role: Role::Agent.as_str(),
                organisation_id: None,
                active: false,
                failed_logins: 0,
                created_at: now,
                must_change_password: false,
            },
        ) {
            Ok(u) => u,
            // Another request created it meanwhile (the e-mail is unique): that one.
            Err(_) => users::find_by_email(conn, DESK_EMAIL)?
                .ok_or_else(|| AppError::internal("the debtor desk account cannot be created"))?,
        },
    };
    Ok(Actor {
        user_id: user.id,
        role: Role::Agent,
        org_id: None,
    })
}

/// A figure of the page: euros, French-formatted (both languages: the letters' figures).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub principal: String,
    pub interest: String,
    pub indemnity: String,
    pub total: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FallingDue {
    pub number: String,
    pub due_date: NaiveDate,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub id: i64,
    pub kind: String,
    pub reference: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Paid {
    pub date: NaiveDate,
    pub amount: String,
}

/// How to pay by transfer (CPCE R124-2: to the agency's dedicated account).
#[derive(Debug, Clone, Serialize)]
pub struct HowToPay {
    pub beneficiary: String,
    pub iban: String,
    pub bic: Option<String>,
    pub amount: String,
    /// The amount as typed in a form (`1234.56`).
    pub amount_plain: String,
    pub reference: String,
    /// The EPC QR code as an SVG document, when the amount can be encoded.
    pub qr_svg: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Arrangement {
    pub kind: &'static str,
    pub status: String,
    pub amount: String,
    pub date: Option<NaiveDate>,
    pub instalments: Vec<(NaiveDate, String)>,
}

/// What the debtor's page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub reference: String,
    pub agency: crate::documents::letters::Agency,
    pub creditor: String,
    pub debtor: String,
    pub closed: bool,
    pub figures: Figures,
    pub falling_due: Vec<FallingDue>,
    pub interest_incomplete: bool,
    pub sent: Vec<Sent>,
    pub paid: Vec<Paid>,
    /// The files the debtor sent (their names and days), so they know they arrived.
    pub pieces_sent: Vec<(String, NaiveDate)>,
    pub pay: Option<HowToPay>,
    pub arrangements: Vec<Arrangement>,
    pub dispute_open: bool,
    /// What the mandate lets the debtor choose alone: (instalments, months), if anything.
    pub plan_limits: Option<(i32, i32)>,
    /// The forms the case's state allows now (the agents' rules: `workflow::decide`).
    pub forms: Vec<&'static str>,
}

/// The page of the link's case, as of today.
pub fn page(conn: &mut DbConn, clock: &Clock, link: &DebtorLink) -> AppResult<Page> {
    let (_, case) = by_id(conn, clock.now(), link.id)?;
    let today = clock.today();
    let parties = crate::recovery::letters::parties(conn, &case)?;
    let input = crate::claims::claim_input(conn, &case)?;
    let st = crate::claims::compute(conn, &input, today, "asOf")?;
    let t = &st.totals;
    let figures = Figures {
        principal: fmt::euros(t.due.principal),
        interest: fmt::euros(t.due.interest),
        indemnity: fmt::euros(t.due.indemnity),
        total: fmt::euros(t.due.total),
    };
    let falling_due = st
        .to_fall_due_lines()
        .map(|l| FallingDue {
            number: l.number.clone(),
            due_date: l.due_date,
            amount: fmt::euros(l.total_due),
        })
        .collect();
    let sent = documents::of_case(conn, case.id)?
        .into_iter()
        .filter(|d| DEBTOR_DOCUMENTS.contains(&d.kind.as_str()))
        .map(|d| Sent {
            id: d.id,
            kind: d.kind,
            reference: d.reference,
            date: d.created_at.date(),
        })
        .collect();
    let paid = payments::of_case(conn, case.id)?
        .iter()
        .map(|p| Paid {
            date: p.received_on,
            amount: fmt::euros(money::from_cents(p.amount_cents)),
        })
        .collect();
    let pieces_sent = crate::store::debtor_pieces::of_cases(conn, &[case.id])?
        .into_iter()
        .map(|p| (p.filename, p.added_at.date()))
        .collect();
    let closed = case.closed_at.is_some();
    let pay = (!closed && t.due.total > Decimal::ZERO).then(|| {
        let beneficiary = parties.agency.name.clone();
        let qr_svg = epc::payload(&epc::Transfer {
            name: &beneficiary,
            iban: &parties.agency.iban,
            bic: parties.agency.bic.as_deref(),
            amount: t.due.total,
            text: &case.reference,
        })
        .ok()
        .and_then(|text| qr_svg(&text));
        HowToPay {
            beneficiary,
            iban: crate::domain::ids::iban_grouped(&parties.agency.iban),
            bic: parties.agency.bic.clone(),
            amount: fmt::euros(t.due.total),
            amount_plain: format!("{:.2}", t.due.total),
            reference: case.reference.clone(),
            qr_svg,
        }
    });
    let mut arrangements = Vec::new();
    for p in arr_store::promises_of(conn, case.id)? {
        if p.status == "open" {
            arrangements.push(Arrangement {
                kind: "promise",
                status: p.status,
                amount: fmt::euros(money::from_cents(p.amount_cents)),
                date: Some(p.pay_by),
                instalments: Vec::new(),
            });
        }
    }
    if let Some(plan) = arr_store::live_plan(conn, case.id)? {
        let instalments = arr_store::instalments_of(conn, &[plan.id])?
            .into_iter()
            .map(|i| (i.due_on, fmt::euros(money::from_cents(i.amount_cents))))
            .collect();
        arrangements.push(Arrangement {
            kind: "plan",
            status: plan.status,
            amount: String::new(),
            date: None,
            instalments,
        });
    }
    let dispute_open = arr_store::disputes_of(conn, case.id)?
        .iter()
        .any(|d| d.status != "resolved");
    let plan_limits = arr_store::plan_limits(conn, case.mandate_id)?;
    let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
    let allowed = |a: Action| workflow::decide(Role::Agent, state, a).is_ok();
    let mut forms = Vec::new();
    if !closed {
        if allowed(Action::RecordPromise) && !arrangements.iter().any(|a| a.kind == "promise") {
            forms.push("promise");
        }
        if allowed(Action::ProposePlan) && !arrangements.iter().any(|a| a.kind == "plan") {
            forms.push("plan");
        }
        if allowed(Action::RaiseDispute) {
            forms.push("dispute");
        }
        forms.extend(["already_paid", "reason", "call_back", "contact"]);
    }
    Ok(Page {
        reference: case.reference.clone(),
        agency: parties.agency,
        creditor: parties.creditor.name,
        debtor: parties.debtor.name,
        closed,
        figures,
        falling_due,
        interest_incomplete: st.interest_stopped.is_some(),
        sent,
        paid,
        pieces_sent,
        pay,
        arrangements,
        dispute_open,
        plan_limits,
        forms,
    })
}

/// The EPC payload as a QR code in SVG (error correction M, as EPC069-12 asks).
fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the element alone, without the XML declaration.
    svg.find("<svg").map(|at| svg[at..].to_string())
}

/// One of the case's documents sent to the debtor: its bytes (the download is in the trail).
pub fn document(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    link: &DebtorLink,
    id: i64,
) -> AppResult<(documents::Document, Vec<u8>)> {
    let now = clock.now();
    let (_, case) = by_id(conn, now, link.id)?;
    let doc = documents::find(conn, id)?.ok_or_else(|| AppError::not_found("document"))?;
    if doc.case_id != Some(case.id) || !DEBTOR_DOCUMENTS.contains(&doc.kind.as_str()) {
        return Err(AppError::not_found("document"));
    }
    let actor = desk(conn, now)?;
    crate::recovery::document_bytes(conn, clock, blobs, &actor, id, false)
}

/// What the debtor asks for that an agent must handle: a task on the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// « J'ai déjà payé » with what proves it: nothing is recorded until the agent confirms.
    AlreadyPaid,
    /// Be called back at a time.
    CallBack,
    /// A new address, e-mail or phone: the agent checks it, then changes it.
    Contact,
    /// Why they cannot pay (recorded for the agency's analysis, issue 20).
    Reason,
}

impl Request {
    pub fn parse(s: &str) -> Option<Request> {
        Some(match s {
            "already_paid" => Request::AlreadyPaid,
            "call_back" => Request::CallBack,
            "contact" => Request::Contact,
            "reason" => Request::Reason,
            _ => return None,
        })
    }

    fn event(self) -> &'static str {
        match self {
            Request::AlreadyPaid => "debtor_says_paid",
            Request::CallBack => "debtor_asks_call",
            Request::Contact => "debtor_changes_contact",
            Request::Reason => "debtor_reason_given",
        }
    }

    fn task_title(self) -> &'static str {
        match self {
            Request::AlreadyPaid => "Le débiteur indique avoir payé : vérifier le paiement",
            Request::CallBack => "Le débiteur demande à être rappelé",
            Request::Contact => "Le débiteur signale de nouvelles coordonnées : les vérifier",
            Request::Reason => "Le débiteur explique pourquoi il ne peut pas payer",
        }
    }
}

/// The reasons a debtor may give for not paying (a closed list).
pub const REASONS: [&str; 4] = [
    "financial_difficulty",
    "disagreement",
    "invoice_not_received",
    "other",
];

/// The French label of a reason of [`REASONS`].
pub fn reason_label(reason: &str) -> &'static str {
    match reason {
        "financial_difficulty" => "difficultés financières",
        "disagreement" => "désaccord sur la facture",
        "invoice_not_received" => "facture non reçue",
        _ => "autre motif",
    }
}

/// Records what the debtor asks (see [`Request`]) as a case event and a task for the agents,
/// in one transaction; « J'ai déjà payé » may carry what proves it (`files`, see [`pieces`]).
pub fn request(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    link: &DebtorLink,
    what: Request,
    (reason, text): (Option<&str>, &str),
    files: Vec<pieces::Sent>,
) -> AppResult<()> {
    let now = clock.now();
    let text = crate::validate::required("details", text, 2000)?;
    if what == Request::Reason && !reason.is_some_and(|r| REASONS.contains(&r)) {
        return Err(AppError::validation(
            "reason",
            "choose a reason from the list",
        ));
    }
    if what != Request::AlreadyPaid && !files.is_empty() {
        return Err(AppError::validation(
            "file",
            "files go with a dispute or with « I have already paid »",
        ));
    }
    let stored = pieces::store_blobs(conn, blobs, link.case_id, files)?;
    db::transaction(conn, |conn| {
        let (_, case) = by_id(conn, now, link.id)?;
        if case.closed_at.is_some() {
            return Err(AppError::invalid_transition("the case is closed"));
        }
        pieces::record(
            conn,
            now,
            (case.id, link.id),
            pieces::Purpose::AlreadyPaid,
            None,
            &stored,
        )?;
        let sent = match stored.len() {
            0 => String::new(),
            1 => " (1 pièce jointe)".to_string(),
            n => format!(" ({n} pièces jointes)"),
        };
        let title = format!(
            "{} — « {} »{sent}",
            what.task_title(),
            text.chars().take(120).collect::<String>()
        );
        tasks::open_review(conn, case.id, &title, now)?;
        events::append(
            conn,
            case.id,
            now,
            None,
            what.event(),
            &serde_json::json!({ "link_id": link.id, "reason": reason, "details": text }),
        )?;
        Ok(())
    })
}

/// The link's case and the account its debtor acts under (the use case then checks the
/// case's state itself, in its own transaction).
fn acting(conn: &mut DbConn, clock: &Clock, link: &DebtorLink) -> AppResult<(Case, Actor)> {
    let (_, case) = by_id(conn, clock.now(), link.id)?;
    let actor = desk(conn, clock.now())?;
    Ok((case, actor))
}

/// The debtor promises to pay `amount` by `pay_by` (the agents' use case, its rules).
pub fn promise(
    conn: &mut DbConn,
    clock: &Clock,
    link: &DebtorLink,
    pay_by: NaiveDate,
    amount: &str,
) -> AppResult<()> {
    let (case, actor) = acting(conn, clock, link)?;
    arrangements::record_promise(conn, clock, &actor, case.id, pay_by, amount, None)?;
    Ok(())
}

/// The debtor disputes the claim, with the pieces that support it (`files`, see [`pieces`]):
/// collection pauses, the creditor is asked (the agents' use case, whose transaction also
/// writes the pieces).
pub fn dispute(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    link: &DebtorLink,
    (reason, details): (DisputeReason, &str),
    files: Vec<pieces::Sent>,
) -> AppResult<()> {
    // What the use case would refuse anyway, before any file is stored.
    crate::validate::required("details", details, 4000)?;
    let (case, actor) = acting(conn, clock, link)?;
    let stored = pieces::store_blobs(conn, blobs, case.id, files)?;
    arrangements::raise_dispute_with(
        conn,
        clock,
        &actor,
        (case.id, None),
        reason,
        details,
        |conn, case, dispute| {
            pieces::record(
                conn,
                clock.now(),
                (case.id, link.id),
                pieces::Purpose::Dispute,
                Some(dispute.id),
                &stored,
            )
        },
    )?;
    Ok(())
}

/// The debtor proposes a plan: `count` monthly instalments from `first` adding up to the
/// balance of the day (the last one takes the cents left). Within the mandate's limits it runs
/// at once; otherwise the creditor decides (the agents' use case). Whether it runs.
pub fn propose_plan(
    conn: &mut DbConn,
    clock: &Clock,
    link: &DebtorLink,
    count: u32,
    first: NaiveDate,
) -> AppResult<bool> {
    let (_, case) = by_id(conn, clock.now(), link.id)?;
    let input = crate::claims::claim_input(conn, &case)?;
    let balance = crate::claims::compute(conn, &input, clock.today(), "count")?
        .totals
        .total_due;
    let instalments = crate::domain::arrangement::split_monthly(balance, count, first)
        .map_err(|e| AppError::validation("count", e))?;
    let inputs: Vec<InstalmentInput> = instalments
        .iter()
        .map(|i| InstalmentInput {
            due_on: i.due_on,
            amount: format!("{:.2}", i.amount),
        })
        .collect();
    let actor = desk(conn, clock.now())?;
    let (plan, _) = arrangements::propose_plan(
        conn,
        clock,
        &actor,
        case.id,
        &inputs,
        "Proposé par le débiteur sur son espace",
        None,
    )?;
    Ok(plan.status == crate::domain::arrangement::PlanStatus::Active.as_str())
}
