//! What the page of one case shows: the same views as the API (case, statement, documents,
//! pieces, timeline), with French labels.

use serde::Serialize;

use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::Role;
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult, ErrorCode};

/// The French label of a timeline event (an unknown kind reads as a neutral "Événement").
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "case_opened" => "Dossier ouvert",
        "case_accepted" => "Dossier accepté par l'agence",
        "case_rejected" => "Dossier refusé par l'agence",
        "case_withdrawn" => "Dossier retiré par le créancier",
        "case_assigned" => "Gestionnaire désigné",
        "case_referred" => "Dossier transmis à l'avocat",
        "call_logged" => "Appel au débiteur",
        "promise_recorded" => "Promesse de paiement",
        "promise_kept" => "Promesse tenue",
        "promise_broken" => "Promesse non tenue",
        "payment_recorded" => "Paiement reçu",
        "plan_proposed" => "Échéancier proposé",
        "plan_accepted" => "Échéancier accepté",
        "plan_refused" => "Échéancier refusé",
        "plan_completed" => "Échéancier soldé",
        "plan_broken" => "Échéancier non respecté",
        "dispute_raised" => "Contestation du débiteur",
        "dispute_answered" => "Réponse du créancier à la contestation",
        "dispute_resolved" => "Contestation close",
        "message_sent" => "Courrier ou e-mail envoyé",
        "message_failed" => "Envoi en échec",
        "message_decided" => "Envoi réexaminé",
        "formal_notice_prepared" => "Mise en demeure préparée",
        "formal_notice_posted" => "Mise en demeure envoyée en recommandé",
        "formal_notice_delivered" => "Mise en demeure distribuée",
        "formal_notice_expired" => "Délai de la mise en demeure expiré",
        "playbook_attached" => "Scénario de relance choisi",
        "playbook_step" => "Étape de relance",
        "step_blocked" => "Étape de relance en attente",
        "task_done" => "Tâche terminée",
        "evidence_added" => "Pièce ajoutée",
        "evidence_withdrawn" => "Pièce retirée",
        "evidence_downloaded" => "Pièce consultée",
        "exhibits_reordered" => "Pièces renumérotées",
        "document_downloaded" => "Document consulté",
        "remittance_prepared" => "Reversement préparé",
        "remittance_paid" => "Reversement effectué",
        "court_confirmed" => "Juridiction confirmée",
        "dossier_downloaded" => "Dossier d'injonction téléchargé",
        "requete_filed" => "Requête en injonction déposée",
        "order_recorded" => "Ordonnance du juge",
        "order_served" => "Ordonnance signifiée",
        "first_personal_act_recorded" => "Premier acte signifié à personne",
        "order_opposed" => "Opposition du débiteur",
        "order_enforceable" => "Titre exécutoire",
        "handed_over_for_enforcement" => "Transmis pour exécution forcée",
        "enforcement_measure_recorded" => "Mesure conservatoire ou d'exécution enregistrée",
        "incident_recorded" => "Procédure collective, surendettement, décès ou dissolution signalé",
        "claim_declared" => "Créance déclarée au mandataire judiciaire",
        "claim_declaration_prepared" => "Déclaration de créance produite",
        "claim_decided" => "Décision du juge-commissaire sur la créance",
        "notary_letter_prepared" => "Courrier au notaire de la succession produit",
        "incident_ended" => "Fin de l'événement : décision de l'agence",
        "bodacc_announcement" => "Annonce du BODACC sur le débiteur : à vérifier",
        "bank_entry_reconciled" => "Virement du relevé bancaire rapproché",
        "bank_entry_proposed" => "Virement du relevé bancaire proposé pour ce dossier",
        "bank_entry_refused" => "Virement du relevé bancaire non enregistré",
        "bank_entry_ignored" => "Virement du relevé bancaire écarté",
        "debtor_page_opened" => "Espace débiteur ouvert par le débiteur",
        "debtor_check_failed" => "Espace débiteur : mauvaise réponse à la question de contrôle",
        "debtor_link_issued" => "Nouveau lien de l'espace débiteur",
        "debtor_links_revoked" => "Liens de l'espace débiteur révoqués",
        "debtor_says_paid" => "Le débiteur indique avoir payé",
        "debtor_asks_call" => "Le débiteur demande à être rappelé",
        "debtor_changes_contact" => "Le débiteur signale de nouvelles coordonnées",
        "debtor_reason_given" => "Le débiteur explique pourquoi il ne paie pas",
        "debtor_card_started" => "Le débiteur commence un paiement par carte",
        "debtor_card_failed" => "Paiement par carte impossible (prestataire injoignable)",
        "debtor_card_paid" => "Paiement par carte confirmé par le prestataire",
        "debtor_card_refused" => {
            "Paiement par carte confirmé mais non enregistré : à rembourser ou enregistrer"
        }
        "debtor_reminded_ahead" => "Rappel au débiteur avant une date convenue",
        "debtor_piece_added" => "Pièce envoyée par le débiteur",
        _ => "Événement",
    }
}

/// What the timeline says of an event beyond its kind: which piece, which letter, which step,
/// how much.
fn event_detail(kind: &str, p: &serde_json::Value) -> Option<String> {
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let number = |k: &str| p.get(k).and_then(serde_json::Value::as_i64);
    let day = |k: &str| {
        text(k)
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .map(crate::domain::fmt::date_long)
    };
    let euros = |k: &str| {
        text(k)
            .and_then(|a| a.parse::<rust_decimal::Decimal>().ok())
            .map(crate::domain::fmt::euros)
    };
    match kind {
        "evidence_added" | "evidence_withdrawn" => Some(match number("exhibit") {
            Some(n) => format!("pièce n° {n} : {}", text("filename")?),
            None => text("filename")?,
        }),
        "message_sent" => Some(format!("« {} » à {}", text("subject")?, text("to")?)),
        "playbook_step" => Some(format!(
            "étape {} : {}",
            number("step")?,
            super::admin::playbooks::template_label(&text("template")?).to_lowercase()
        )),
        "bank_entry_reconciled" | "bank_entry_proposed" => {
            Some(format!("{} du {}", euros("amount")?, day("booked_on")?))
        }
        "bank_entry_refused" | "bank_entry_ignored" => Some(format!(
            "{} du {} : {}",
            euros("amount")?,
            day("booked_on")?,
            crate::i18n::french(&text("reason")?)
        )),
        "debtor_card_started" | "debtor_card_paid" => euros("amount"),
        "debtor_card_refused" => Some(format!(
            "{} : {}",
            euros("amount")?,
            crate::i18n::french(&text("reason")?)
        )),
        "payment_recorded" => Some(format!(
            "{} reçus le {}",
            euros("amount")?,
            day("received_on")?
        )),
        "formal_notice_posted" => Some(format!(
            "posté le {}, recommandé n° {}",
            day("posted_on")?,
            text("tracking_number")?
        )),
        "formal_notice_delivered" => day("delivered_on").map(|d| format!("distribuée le {d}")),
        "case_assigned" => text("agent"),
        "debtor_reminded_ahead" => Some(format!(
            "{} {} le {}",
            if text("subject")? == "promise" {
                "paiement promis de"
            } else {
                "échéance de"
            },
            euros("amount")?,
            day("due_on")?
        )),
        "debtor_says_paid" | "debtor_asks_call" | "debtor_changes_contact" => text("details"),
        "debtor_piece_added" => Some(format!(
            "{} : {}",
            crate::debtor::pieces::purpose_label(&text("purpose")?),
            text("filename")?
        )),
        "debtor_reason_given" => Some(format!(
            "{} : {}",
            crate::debtor::reason_label(&text("reason")?),
            text("details")?
        )),
        "claim_declaration_prepared" | "notary_letter_prepared" | "formal_notice_prepared" => {
            text("reference").map(|r| format!("réf. {r}"))
        }
        "incident_recorded" => crate::domain::legal::incidents::IncidentKind::parse(&text("kind")?)
            .ok()
            .map(|k| {
                format!(
                    "{} du {}",
                    k.french().to_lowercase(),
                    day("occurred_on").unwrap_or_default()
                )
            }),
        _ => None,
    }
}

/// The label of a generated document.
fn document_label(kind: &str, reference: &str) -> String {
    let what = match kind {
        "first_letter" => "Premier courrier",
        "reminder_letter" => "Lettre de relance",
        "formal_notice" => "Mise en demeure",
        "receipt" => "Quittance",
        "claim_declaration" => "Déclaration de créance",
        "notary_letter" => "Courrier au notaire de la succession",
        "dossier_pdf" => "Dossier d'injonction de payer (PDF)",
        "dossier_zip" => "Dossier d'injonction de payer (archive ZIP)",
        _ => "Document",
    };
    format!("{what} — {reference}")
}

#[derive(Serialize)]
struct Line {
    number: String,
    issue_date: chrono::NaiveDate,
    due_date: chrono::NaiveDate,
    amount: String,
    paid: String,
}

/// A refused form, shown again next to its form with what was typed.
pub struct Refused {
    pub form: String,
    pub error: AppError,
    pub values: std::collections::HashMap<String, String>,
}

/// The context of the case page, for a user who may see the case.
pub fn load(
    conn: &mut DbConn,
    state: &AppState,
    actor: &Actor,
    id: i64,
    refused: Option<&Refused>,
) -> AppResult<tera::Context> {
    let v = crate::cases::views::get(conn, actor, id)?;
    let st = CaseState::parse(&v.case.state).map_err(AppError::internal)?;
    let mut address = vec![v.debtor.address_line1.clone()];
    address.extend(v.debtor.address_line2.clone());
    address.push(format!("{} {}", v.debtor.postal_code, v.debtor.city));
    let c = serde_json::json!({
        "id": v.case.id,
        "reference": v.case.reference,
        "state": v.case.state,
        "state_label": super::state_label(st),
        "debtor": super::pages::debtor_name(&v.debtor),
        "debtor_address": address,
        "debtor_siren": v.debtor.siren,
        "debtor_email": v.debtor.email,
        "debtor_phone": v.debtor.phone,
        // The `tel:` link: digits and a leading + only.
        "debtor_tel": v.debtor.phone.as_deref().map(|p| p
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect::<String>()),
        "note": v.case.note,
        "creditor": v.creditor.name,
        "agent": v.agent.as_ref().map(|u| u.display_name.clone()),
        "lawyer": v.lawyer.as_ref().map(|u| u.display_name.clone()),
        "invoices": v.invoices.iter().map(|i| Line {
            number: i.number.clone(),
            issue_date: i.issue_date,
            due_date: i.due_date,
            amount: crate::domain::money::from_cents(i.amount_cents).to_string(),
            paid: crate::domain::money::from_cents(i.paid_cents).to_string(),
        }).collect::<Vec<_>>(),
    });
    let mut ctx = tera::Context::new();
    ctx.insert("c", &c);
    let today = state.clock.today();
    ctx.insert("today", &today);
    match crate::claims::statement(conn, &state.clock, actor, id, None) {
        Ok((s, _)) => {
            let t = &s.totals;
            ctx.insert(
                "statement",
                &serde_json::json!({
                    "principal": t.principal_outstanding.to_string(),
                    "interest": t.interest_outstanding.to_string(),
                    "indemnity": t.indemnity_outstanding.to_string(),
                    "paid": t.payments_received.to_string(),
                    "total": t.total_due.to_string(),
                    // « intérêts arrêtés au 30/06/2026 : taux du 2e semestre 2026 non saisi »
                    "interest_note": s.interest_stopped.map(|stop| stop.french()),
                    // C. com. L622-28: « intérêts arrêtés au jugement d'ouverture du … »
                    "judgment_note": s.interest_stops_on.map(|d| format!(
                        "intérêts arrêtés au jugement d'ouverture du {} (C. com. L622-28)",
                        crate::domain::fmt::date_long(d)
                    )),
                }),
            );
        }
        // A half-year's rates not entered yet: the page says so instead of failing.
        Err(e) if e.code == ErrorCode::Validation => {
            ctx.insert(
                "statement_error",
                &format!("Décompte indisponible : {}", super::french(&e.message)),
            );
        }
        Err(e) => return Err(e),
    }
    let creditor = actor.role == Role::Creditor;
    let documents: Vec<serde_json::Value> = crate::recovery::case_documents(conn, actor, id)?
        .into_iter()
        .map(|d| {
            let dossier = d.kind.starts_with("dossier_");
            let ext = if d.kind == "dossier_zip" {
                "zip"
            } else {
                "pdf"
            };
            serde_json::json!({
                "label": document_label(&d.kind, &d.reference),
                "date": d.created_at.date(),
                // The dossier is the lawyer's and the agency's: the creditor sees it exists.
                "url": (!(dossier && creditor)).then(|| format!("/api/documents/{}.{ext}", d.id)),
            })
        })
        .collect();
    ctx.insert("documents", &documents);
    let pieces: Vec<serde_json::Value> = crate::store::evidence::of_case(conn, id)?
        .into_iter()
        .filter(|p| p.withdrawn_at.is_none())
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                // Staff, and the creditor who added it, may withdraw a piece (the use case
                // decides; the form is offered to them only).
                "withdrawable": matches!(actor.role, Role::Admin | Role::Agent)
                    || (creditor && p.added_by == Some(actor.user_id)),
                // The exhibit order is the agency's and the lawyer's (`reorderExhibits`).
                "movable": !creditor,
                "number": p.exhibit_no,
                "title": if p.description.trim().is_empty() { p.filename.clone() } else { p.description.clone() },
                "filename": p.filename,
                "active": (!p.active_kinds().is_empty())
                    .then(|| crate::evidence::active::french(&p.active_kinds())),
            })
        })
        .collect();
    ctx.insert("pieces", &pieces);
    let timeline: Vec<serde_json::Value> = crate::cases::views::timeline(conn, actor, id)?
        .into_iter()
        .map(|t| {
            let payload: serde_json::Value =
                serde_json::from_str(&t.event.payload).unwrap_or_default();
            serde_json::json!({
                "at": crate::domain::fmt::paris(t.event.occurred_at).format("%d/%m/%Y %H:%M").to_string(),
                "label": event_label(&t.event.kind),
                "detail": event_detail(&t.event.kind, &payload),
                "actor": t.actor_name,
            })
        })
        .collect();
    ctx.insert("timeline", &timeline);
    ctx.insert("dealings", &dealings(conn, actor, &v.case, today)?);
    ctx.insert("next_step", &next_step(conn, &v.case, st, today)?);
    // Issue 17: the debtor's links (one per letter), for the agency's staff.
    if actor.role.is_agency_staff() {
        let links = crate::debtor::live_links(conn, actor, v.case.id)?;
        ctx.insert("debtor_links", &links.len());
    }
    remittances(conn, actor, id, today, &mut ctx)?;
    ctx.insert("version", &v.case.version);
    // A plan is decided only while one waits for the creditor's decision.
    let plan_waiting =
        crate::store::arrangements::live_plan(conn, id)?.is_some_and(|p| p.status == "proposed");
    // The delivery is recorded once the registered formal notice is posted; the first act in
    // person only after a service not made in person, once (CPC 1416 al. 2).
    let proceeding = crate::store::legal::find(conn, id)?;
    let personal_act_waiting = proceeding
        .as_ref()
        .is_some_and(|p| p.served_in_person == Some(false) && p.first_personal_act_on.is_none());
    // While an incident is in force, the forms of the demands it stops are not offered (the
    // incidents' section says why; a stale page's post is still refused by the use case).
    let frozen = crate::cases::incidents::is_frozen(conn, id, today)?;
    let forms: Vec<serde_json::Value> = super::actions::available(actor.role, st)
        .into_iter()
        .filter(|f| !(frozen && crate::domain::legal::incidents::freezes(f.action)))
        .filter(|f| f.name != "decide_plan" || plan_waiting)
        .filter(|f| f.name != "record_delivery" || st == CaseState::FormalNotice)
        .filter(|f| f.name != "record_first_personal_act" || personal_act_waiting)
        .map(|f| serde_json::json!({ "name": f.name, "title": f.title }))
        .collect();
    if forms.iter().any(|f| f["name"] == "refer") {
        let lawyers: Vec<serde_json::Value> =
            crate::store::users::active_of_role(conn, Role::Lawyer.as_str())?
                .into_iter()
                .map(|u| serde_json::json!({ "id": u.id, "name": u.display_name }))
                .collect();
        ctx.insert("lawyers", &lawyers);
    }
    if forms.iter().any(|f| f["name"] == "assign") {
        let agents: Vec<serde_json::Value> =
            crate::store::users::active_of_role(conn, Role::Agent.as_str())?
                .into_iter()
                .map(|u| {
                    serde_json::json!({
                        "id": u.id.to_string(), "name": u.display_name,
                        "current": v.agent.as_ref().is_some_and(|a| a.id == u.id),
                    })
                })
                .collect();
        ctx.insert("agents", &agents);
    }
    ctx.insert(
        "plan_rows",
        &(0..super::actions::PLAN_ROWS).collect::<Vec<_>>(),
    );
    // Open tasks: agency staff complete them from here.
    let staff = matches!(actor.role, Role::Admin | Role::Agent);
    let tasks: Vec<serde_json::Value> = if staff {
        crate::store::tasks::of_case(conn, id)?
            .into_iter()
            .filter(|t| t.status == "open")
            .map(|t| serde_json::json!({ "id": t.id, "title": t.title, "due_on": t.due_on }))
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("tasks", &tasks);
    ctx.insert("staff", &staff);
    incidents(conn, actor, &v.case, st, today, &mut ctx)?;
    if forms.iter().any(|f| f["name"] == "record_measure") {
        use crate::domain::legal::enforcement::MeasureKind;
        let kinds: Vec<serde_json::Value> = MeasureKind::ALL
            .iter()
            .map(|k| {
                serde_json::json!({
                    "value": k.as_str(), "label": k.french(), "conservatory": k.is_conservatory(),
                })
            })
            .collect();
        ctx.insert("measure_kinds", &kinds);
    }
    ctx.insert("forms", &forms);
    let piece_kinds: Vec<serde_json::Value> = super::pieces::KINDS
        .iter()
        .map(|(k, label)| serde_json::json!({ "value": k.as_str(), "label": label }))
        .collect();
    ctx.insert("piece_kinds", &piece_kinds);
    ctx.insert(
        "max_mb",
        &(state.evidence_limits.max_file_bytes / (1024 * 1024)),
    );
    ctx.insert(
        "refused_form",
        &refused.map(|r| r.form.as_str()).unwrap_or(""),
    );
    ctx.insert(
        "refused_message",
        &refused
            .map(|r| super::french(&r.error.message))
            .unwrap_or_default(),
    );
    let proposed = legal(conn, state, actor, id, &mut ctx)?;
    // Every field the forms show starts from a sensible value (today for dates, the court
    // proposed), then from what was typed when a form was refused.
    let mut values: std::collections::HashMap<String, String> = FIELDS
        .iter()
        .map(|f| (f.to_string(), String::new()))
        .collect();
    for date in DATE_FIELDS {
        values.insert(date.to_string(), today.to_string());
    }
    for i in 0..super::actions::PLAN_ROWS {
        values.insert(format!("due_on_{i}"), String::new());
        values.insert(format!("amount_{i}"), String::new());
    }
    values.insert("name".into(), proposed.unwrap_or_default());
    if let Some(r) = refused {
        for (k, v) in &r.values {
            if values.contains_key(k) {
                values.insert(k.clone(), v.clone());
            }
        }
    }
    ctx.insert("values", &values);
    Ok(ctx)
}

/// The money collected on the case and remitted to the creditor (creditor and agency staff):
/// each payment, the commission kept and the net paid over, or the date it is owed by.
fn remittances(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    today: chrono::NaiveDate,
    ctx: &mut tera::Context,
) -> AppResult<()> {
    if actor.role == Role::Lawyer {
        ctx.insert("remittances", &serde_json::Value::Null);
        return Ok(());
    }
    let money = crate::domain::money::from_cents;
    let list = crate::recovery::remittances::of_case(conn, actor, id)?;
    let (mut gross, mut commission, mut net) = (0i64, 0i64, 0i64);
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|p| {
            gross += p.payment.amount_cents;
            let r = p.remitted.as_ref().map(|(line, r)| {
                commission += line.commission_cents;
                let line_net = line.amount_cents - line.commission_cents;
                net += line_net;
                serde_json::json!({
                    "reference": r.reference,
                    "commission": money(line.commission_cents).to_string(),
                    "net": money(line_net).to_string(),
                    "paid_on": r.paid_on,
                    "due_on": r.due_on,
                    // CPCE R124-6: remitted (or still owed) after the month.
                    "late": r.paid_on.map_or(r.due_on < today, |paid| paid > r.due_on),
                })
            });
            serde_json::json!({
                "received_on": p.payment.received_on,
                "amount": money(p.payment.amount_cents).to_string(),
                "remitted": r,
                "due_on": p.due_on,
                "late": p.remitted.is_none() && p.due_on < today,
            })
        })
        .collect();
    ctx.insert(
        "remittances",
        &serde_json::json!({
            "rows": rows,
            "gross": money(gross).to_string(),
            "commission": money(commission).to_string(),
            "net": money(net).to_string(),
        }),
    );
    Ok(())
}

/// The incidents of the debtor's life recorded on the case, with what each stops and the
/// dates that follow; the kinds for the form that records one; who may end them.
fn incidents(
    conn: &mut DbConn,
    actor: &Actor,
    case: &crate::store::cases::Case,
    st: CaseState,
    today: chrono::NaiveDate,
    ctx: &mut tera::Context,
) -> AppResult<()> {
    use crate::domain::legal::incidents::{Family, IncidentEnd, IncidentKind};
    use crate::domain::workflow::{decide, Action};
    let may_end = decide(actor.role, st, Action::EndIncident).is_ok();
    let may_declare = decide(actor.role, st, Action::RecordIncident).is_ok();
    let rows = crate::store::incidents::of_case(conn, case.id)?;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let f = crate::cases::incidents::facts(row).ok();
            let dates: Vec<serde_json::Value> = f
                .as_ref()
                .map(|f| f.dates())
                .unwrap_or_default()
                .into_iter()
                .map(|d| serde_json::json!({ "label": d.label, "date": d.date }))
                .collect();
            let in_force = f.as_ref().is_some_and(|f| f.in_force(today));
            serde_json::json!({
                "id": row.id,
                "label": f.as_ref().map_or(row.kind.as_str(), |f| f.kind.french()),
                "effect": f.as_ref().map(|f| f.freeze_reason()),
                "occurred_on": row.occurred_on,
                "published_on": row.published_on,
                "court": row.court,
                "reference": row.reference,
                "representative": row.representative,
                "declared_on": row.declared_on,
                "declaration_tracking": row.declaration_tracking,
                "declaration_prepared": row.declaration_document_id.is_some(),
                "security": row.security,
                "decision": row.claim_decision.as_deref()
                    .and_then(|d| crate::domain::legal::incidents::ClaimDecision::parse(d).ok())
                    .map(|d| d.french()),
                "decided_on": row.claim_decided_on,
                "admitted": row.admitted_cents.map(crate::domain::money::from_cents).map(|d| d.to_string()),
                "may_decide": may_declare && row.declared_on.is_some() && row.ended_on.is_none(),
                "declaration_missed": f.as_ref().is_some_and(|f| f.declaration_missed(today)),
                "collective": f.as_ref().is_some_and(|f| f.kind.family() == Family::Collective),
                "over_indebtedness": f.as_ref().is_some_and(|f| f.kind == IncidentKind::OverIndebtedness),
                "may_write_notary": may_declare && row.ended_on.is_none()
                    && f.as_ref().is_some_and(|f| f.kind == IncidentKind::Death),
                "in_force": in_force,
                "ended_on": row.ended_on,
                "end_label": f.as_ref().and_then(|f| f.ended.map(|(_, e)| e.french())),
                "end_note": row.end_note,
                "dates": dates,
                "may_end": may_end && row.ended_on.is_none(),
                "may_declare": may_declare && row.declared_on.is_none() && row.ended_on.is_none(),
            })
        })
        .collect();
    ctx.insert("incidents", &list);
    let kinds: Vec<serde_json::Value> = IncidentKind::ALL
        .iter()
        .map(|k| serde_json::json!({ "value": k.as_str(), "label": k.french() }))
        .collect();
    ctx.insert("incident_kinds", &kinds);
    let ends: Vec<serde_json::Value> = IncidentEnd::ALL
        .iter()
        .map(|e| serde_json::json!({ "value": e.as_str(), "label": e.french() }))
        .collect();
    ctx.insert("incident_ends", &ends);
    let decisions: Vec<serde_json::Value> = crate::domain::legal::incidents::ClaimDecision::ALL
        .iter()
        .map(|d| serde_json::json!({ "value": d.as_str(), "label": d.french() }))
        .collect();
    ctx.insert("claim_decisions", &decisions);
    Ok(())
}

/// The fields of the case page's forms (`templates/portal/case.html`).
const FIELDS: [&str; 26] = [
    "kind",
    "security",
    "notary",
    "incident_kind",
    "published_on",
    "court",
    "representative",
    "creditor_abroad",
    "long_term_loan",
    "agent",
    "details",
    "note",
    "decision",
    "reason",
    "outcome",
    "notes",
    "amount",
    "method",
    "reference",
    "tracking",
    "name",
    "officer",
    "answer",
    "piece_kind",
    "piece_description",
    "document_date",
];
const DATE_FIELDS: [&str; 12] = [
    "decided_on",
    "occurred_on",
    "declared_on",
    "ended_on",
    "pay_by",
    "delivered_on",
    "received_on",
    "posted_on",
    "filed_on",
    "date",
    "served_on",
    "opposed_on",
];

/// The legal phase's part of the page: the procedure and its deadlines for everyone who sees
/// the case; the eligibility report and the dossier's links for the lawyer and the agency.
/// Returns the court the report proposes (for the confirmation form).
fn legal(
    conn: &mut DbConn,
    state: &AppState,
    actor: &Actor,
    id: i64,
    ctx: &mut tera::Context,
) -> AppResult<Option<String>> {
    ctx.insert("legal", &serde_json::Value::Null);
    let Some(view) = crate::legal::views::view(conn, &state.clock, actor, id)? else {
        return Ok(None);
    };
    let p = &view.proceeding;
    let deadlines: Vec<serde_json::Value> = view
        .deadlines
        .iter()
        .map(|d| {
            serde_json::json!({
                "title": d.title, "date": d.date, "article": d.article,
                "missed": d.missed, "days_left": d.days_left,
            })
        })
        .collect();
    let measures: Vec<serde_json::Value> = view
        .measures
        .iter()
        .map(|m| {
            let kind = crate::domain::legal::enforcement::MeasureKind::parse(&m.kind).ok();
            serde_json::json!({
                "label": kind.map_or(m.kind.as_str(), |k| k.french()),
                "article": kind.map(|k| k.article()),
                "date": m.measure_on, "officer": m.officer, "reference": m.reference,
            })
        })
        .collect();
    let mut legal = serde_json::json!({
        "measures": measures,
        "lawyer": view.lawyer_name,
        "court": p.court_name,
        "filed_on": p.filed_on,
        "filing_reference": p.filing_reference,
        "order_on": p.order_on,
        "served_on": p.served_on,
        "enforceable_on": p.enforceable_on,
        "lapsed": view.order_lapsed,
        "deadlines": deadlines,
        "dossier_exists": view.dossier.is_some(),
    });
    if actor.role != Role::Creditor {
        let report = &view.report;
        legal["eligible"] = serde_json::json!(report.eligible);
        // Only a court of the directory is proposed; when it cannot decide, the field starts
        // empty and lists the courts to choose from (CPC 1406).
        legal["proposed_court"] = match report.court.court_id {
            Some(_) => serde_json::json!(report.court.proposed_name),
            None => serde_json::Value::Null,
        };
        legal["court_note"] = serde_json::json!(report.court.reason);
        let choices: Vec<String> = if report.court.candidates.is_empty() {
            crate::legal::courts::current(conn)?
                .courts
                .iter()
                .filter(|c| c.exists_on(state.clock.today()))
                .map(|c| c.name.clone())
                .collect()
        } else {
            report.court.candidates.clone()
        };
        legal["court_choices"] = serde_json::json!(choices);
        legal["proposed_kind"] =
            serde_json::json!(crate::legal::court_kind_text(report.court.kind));
        legal["conditions"] = serde_json::json!(report
            .conditions
            .iter()
            .map(|c| serde_json::json!({
                "title": c.title,
                "reason": c.reason,
                "article": c.article,
                "status": match c.status {
                    crate::domain::legal::ConditionStatus::Met => "Remplie",
                    crate::domain::legal::ConditionStatus::Failed => "Non remplie",
                    crate::domain::legal::ConditionStatus::Warning => "À surveiller",
                    crate::domain::legal::ConditionStatus::Info => "Information",
                },
                "failed": c.forbids(),
            }))
            .collect::<Vec<_>>());
        // The links show only when the dossier can be produced (`legal::dossier::produce`
        // refuses otherwise); else the page says what is missing.
        let missing = if p.filed_on.is_none() && !report.eligible {
            Some("le rapport d'éligibilité bloque la requête (voir ci-dessous)")
        } else if p.court_name.is_none() {
            Some("confirmez d'abord la juridiction compétente")
        } else if crate::store::lawyers::find(conn, p.lawyer_id)?.is_none() {
            Some("l'avocat doit compléter son profil (cabinet, barreau, adresse : CPC 1407)")
        } else {
            None
        };
        match missing {
            None => {
                legal["dossier_pdf"] = serde_json::json!(format!("/api/cases/{id}/dossier.pdf"));
                legal["dossier_zip"] = serde_json::json!(format!("/api/cases/{id}/dossier.zip"));
            }
            Some(why) => legal["dossier_missing"] = serde_json::json!(why),
        }
    }
    let proposed = legal["proposed_court"].as_str().map(str::to_string);
    ctx.insert("legal", &legal);
    Ok(proposed)
}

fn call_label(outcome: &str) -> &'static str {
    match outcome {
        "reached" => "Débiteur joint",
        "no_answer" => "Pas de réponse",
        "wrong_number" => "Mauvais numéro",
        "promise" => "Promesse de paiement",
        "dispute" => "Contestation",
        "refusal" => "Refus de payer",
        _ => "Appel",
    }
}

fn promise_label(status: &str) -> &'static str {
    match status {
        "open" => "en cours",
        "kept" => "tenue",
        "broken" => "non tenue",
        "cancelled" => "annulée",
        _ => "—",
    }
}

fn plan_label(status: &str) -> &'static str {
    match status {
        "proposed" => "proposé, en attente de la décision du créancier",
        "active" => "en cours",
        "refused" => "refusé",
        "broken" => "rompu (échéance impayée)",
        "completed" => "soldé",
        "cancelled" => "annulé",
        _ => "—",
    }
}

fn dispute_reason(reason: &str) -> &'static str {
    match reason {
        "quality" => "Qualité de la prestation ou du produit",
        "delivery" => "Livraison",
        "price" => "Prix",
        "already_paid" => "Déjà payé",
        _ => "Autre",
    }
}

fn message_status(status: &str) -> &'static str {
    match status {
        "pending" => "en attente d'envoi",
        "sending" => "en cours d'envoi",
        "sent" => "envoyé",
        "failed" => "échec de l'envoi",
        "uncertain" => "envoi incertain",
        "to_post" => "à poster",
        "posted" => "posté",
        "cancelled" => "annulé",
        _ => "—",
    }
}

/// The contact history of the case, as the cockpit shows it: calls with their outcome,
/// promises, plans with their instalments and what is paid of each, disputes with the
/// creditor's answer, letters and e-mails with their delivery status (agency staff and the
/// lawyer; the creditor sees the same but its internal call notes). For a plan waiting for
/// the creditor, the mandate's limits it was checked against.
fn dealings(
    conn: &mut DbConn,
    actor: &Actor,
    case: &crate::store::cases::Case,
    today: chrono::NaiveDate,
) -> AppResult<serde_json::Value> {
    use crate::domain::money;
    let d = crate::recovery::dealings(conn, actor, case.id)?;
    let creditor = actor.role == Role::Creditor;
    let paid = crate::recovery::paid_total(conn, case.id)?;
    let calls: Vec<serde_json::Value> = d
        .calls
        .iter()
        .rev()
        .map(|c| {
            serde_json::json!({
                "at": crate::domain::fmt::paris(c.called_at).format("%d/%m/%Y %H:%M").to_string(),
                "outcome": call_label(&c.outcome),
                "notes": (!creditor).then(|| c.notes.clone()).filter(|n| !n.is_empty()),
            })
        })
        .collect();
    let promises: Vec<serde_json::Value> = d
        .promises
        .iter()
        .rev()
        .map(|p| {
            serde_json::json!({
                "made_on": p.made_on, "pay_by": p.pay_by,
                "amount": money::from_cents(p.amount_cents).to_string(),
                "status": promise_label(&p.status),
                "due": p.status == "open" && p.pay_by <= today,
            })
        })
        .collect();
    let limits = crate::store::arrangements::plan_limits(conn, case.mandate_id)?;
    let mut plans = Vec::new();
    for (p, instalments) in d.plans.iter().rev() {
        // Payments since the plan started meet its instalments in order.
        let mut left = paid.saturating_sub(p.paid_before_cents).max(0);
        let lines: Vec<serde_json::Value> = instalments
            .iter()
            .map(|i| {
                let met = left.min(i.amount_cents);
                left = left.saturating_sub(met);
                serde_json::json!({
                    "position": i.position,
                    "due_on": i.due_on,
                    "amount": money::from_cents(i.amount_cents).to_string(),
                    "paid": money::from_cents(met).to_string(),
                    "state": if met >= i.amount_cents { "payée" }
                        else if met > 0 { "payée en partie" }
                        else if i.due_on < today { "impayée" }
                        else { "à venir" },
                })
            })
            .collect();
        let last = instalments.iter().map(|i| i.due_on).max();
        let within = limits.map(|(n, months)| {
            let parsed: Vec<crate::domain::arrangement::Instalment> = instalments
                .iter()
                .map(|i| crate::domain::arrangement::Instalment {
                    due_on: i.due_on,
                    amount: money::from_cents(i.amount_cents),
                })
                .collect();
            crate::domain::arrangement::within_limits(
                &parsed,
                n.max(0) as u32,
                months.max(0) as u32,
                p.proposed_at.date(),
            )
        });
        plans.push(serde_json::json!({
            "status": plan_label(&p.status),
            "waiting": p.status == "proposed",
            "proposed_on": p.proposed_at.date(),
            "total": money::from_cents(p.total_cents).to_string(),
            "count": instalments.len(),
            "last": last,
            "note": p.note,
            "auto": p.auto_approved,
            "instalments": lines,
            "limits": limits.map(|(n, months)| serde_json::json!({
                "instalments": n, "months": months, "within": within.unwrap_or(false),
            })),
        }));
    }
    // The files the debtor sent from their page: with their dispute, or as proof of payment.
    let sent = crate::store::debtor_pieces::of_cases(conn, &[case.id])?;
    let piece = |p: &crate::store::debtor_pieces::DebtorPiece| {
        serde_json::json!({
            "id": p.id, "filename": p.filename,
            "at": crate::domain::fmt::paris(p.added_at).format("%d/%m/%Y").to_string(),
        })
    };
    let proofs: Vec<serde_json::Value> = sent
        .iter()
        .filter(|p| p.purpose == "already_paid")
        .map(piece)
        .collect();
    let disputes: Vec<serde_json::Value> = d
        .disputes
        .iter()
        .rev()
        .map(|x| {
            serde_json::json!({
                "pieces": sent.iter().filter(|p| p.dispute_id == Some(x.id)).map(piece).collect::<Vec<_>>(),
                "raised_on": x.raised_at.date(),
                "reason": dispute_reason(&x.reason),
                "details": x.details,
                "answer": x.creditor_answer,
                "open": x.status != "resolved",
                "resolution": x.resolution.as_deref().map(|r| {
                    let what = if r == "close" { "dossier clos" } else { "recouvrement repris" };
                    match x.resolution_note.as_deref().filter(|n| !n.is_empty()) {
                        Some(n) => format!("{what} — {n}"),
                        None => what.to_string(),
                    }
                }),
            })
        })
        .collect();
    let messages: Vec<serde_json::Value> = crate::recovery::queue::messages_of(conn, actor, case.id)?
        .iter()
        .rev()
        // The creditor's own notices are its mail, not the debtor's history.
        .filter(|m| !m.kind.starts_with("creditor_"))
        .map(|m| {
            serde_json::json!({
                "at": crate::domain::fmt::paris(m.sent_at.unwrap_or(m.created_at)).format("%d/%m/%Y").to_string(),
                "channel": super::outbox::channel_label(&m.channel),
                "status": message_status(&m.status), "subject": m.subject,
                "tracking": m.tracking_number,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "calls": calls, "promises": promises, "plans": plans, "disputes": disputes,
        "messages": messages, "proofs": proofs,
        "empty": d.calls.is_empty() && d.promises.is_empty() && d.plans.is_empty()
            && d.disputes.is_empty() && messages.is_empty() && proofs.is_empty(),
    }))
}

/// The playbook's next step and the day it is due, or why it waits (the same rule as the
/// scheduler: `playbook::paused_by`, `playbook::due_on`); none once the amicable phase is over.
fn next_step(
    conn: &mut DbConn,
    case: &crate::store::cases::Case,
    state: CaseState,
    today: chrono::NaiveDate,
) -> AppResult<Option<serde_json::Value>> {
    use crate::domain::playbook;
    let Some(rec) = crate::store::recovery::case_recovery(conn, case.id)? else {
        return Ok(None);
    };
    let steps = crate::recovery::playbooks::steps_for(conn, case, &rec)?;
    let Some(step) = steps.iter().find(|s| s.position == rec.next_step) else {
        return Ok(None);
    };
    let open_promise = crate::store::arrangements::promises_of(conn, case.id)?
        .iter()
        .any(|p| p.status == "open");
    let waits = match playbook::paused_by(state, open_promise) {
        None => None,
        Some(_) if state == CaseState::Amicable => {
            Some("en pause tant que la promesse de paiement court")
        }
        Some(_) if state == CaseState::Disputed => Some("en pause pendant la contestation"),
        Some(_) if state == CaseState::PaymentPlan => Some("en pause pendant l'échéancier"),
        // Accepted or not, past the amicable phase: no step to announce.
        Some(_) => return Ok(None),
    };
    let invoices = crate::store::cases::invoices_of(conn, &[case.id])?;
    let facts = playbook::StepFacts {
        accepted_on: case.accepted_at.map(|t| t.date()).unwrap_or(today),
        earliest_due: invoices.iter().map(|i| i.due_date).min().unwrap_or(today),
        anchor_on: rec.anchor_at.date(),
    };
    Ok(Some(serde_json::json!({
        "what": super::admin::playbooks::template_label(step.template.as_str()),
        "channel": super::admin::playbooks::channel_label(step.channel.as_str()),
        "due_on": playbook::due_on(step, &facts).map(|d| d.max(today)),
        "waits": waits,
    })))
}
