//! The case page's forms: each posts to `/portal/cases/{id}/actions/{action}` with the page's
//! CSRF token and the case's version (so two people acting at once get a clear conflict, not
//! a lost change), and calls the same use case as the API. A refused form shows the case page
//! again with the message next to that form and what was typed kept.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::legal::enforcement::MeasureKind;
use crate::domain::legal::incidents::{ClaimDecision, IncidentEnd, IncidentKind};
use crate::domain::legal::procedure::OrderOutcome;
use crate::domain::legal::CourtKind;
use crate::domain::parties::Role;
use crate::domain::payment::PaymentMethod;
use crate::domain::workflow::{Action, CaseState};
use crate::error::{AppError, AppResult};
use crate::recovery::arrangements::CallOutcome;

/// A form of the case page.
pub struct Form {
    pub name: &'static str,
    pub title: &'static str,
    /// What the page says once it is done, in plain French (« Dossier accepté. »).
    pub done: &'static str,
    /// The workflow action whose role and state rules say when the form is shown.
    pub action: Action,
}

/// The forms, in the order the page shows them.
pub const FORMS: &[Form] = &[
    Form {
        name: "accept",
        title: "Accepter le dossier",
        done: "Dossier accepté.",
        action: Action::Accept,
    },
    Form {
        name: "reject",
        title: "Refuser le dossier",
        done: "Dossier refusé.",
        action: Action::Reject,
    },
    Form {
        name: "log_call",
        title: "Noter un appel",
        done: "Appel noté.",
        action: Action::LogCall,
    },
    Form {
        name: "record_payment",
        title: "Enregistrer un paiement",
        done: "Paiement enregistré.",
        action: Action::RecordPayment,
    },
    Form {
        name: "assign",
        title: "Attribuer le dossier",
        done: "Dossier attribué.",
        action: Action::Assign,
    },
    Form {
        name: "record_promise",
        title: "Noter une promesse de paiement",
        done: "Promesse de paiement notée.",
        action: Action::RecordPromise,
    },
    Form {
        name: "propose_plan",
        title: "Proposer un échéancier",
        done: "Échéancier proposé.",
        action: Action::ProposePlan,
    },
    Form {
        name: "raise_dispute",
        title: "Enregistrer une contestation",
        done: "Contestation enregistrée : les relances sont suspendues.",
        action: Action::RaiseDispute,
    },
    Form {
        name: "resolve_dispute",
        title: "Clore la contestation",
        done: "Contestation close.",
        action: Action::ResolveDispute,
    },
    Form {
        name: "prepare_formal_notice",
        title: "Préparer la mise en demeure",
        done: "Mise en demeure préparée : elle attend d'être postée (voir les tâches).",
        action: Action::PrepareFormalNotice,
    },
    Form {
        name: "post_formal_notice",
        title: "Mise en demeure envoyée en recommandé",
        done: "Envoi de la mise en demeure enregistré.",
        action: Action::PostFormalNotice,
    },
    Form {
        name: "record_delivery",
        title: "Date de distribution du recommandé",
        done: "Date de distribution enregistrée.",
        action: Action::RecordDelivery,
    },
    Form {
        name: "refer",
        title: "Transmettre à un avocat",
        done: "Dossier transmis à l'avocat.",
        action: Action::ReferToLawyer,
    },
    Form {
        name: "confirm_court",
        title: "Confirmer la juridiction",
        done: "Juridiction confirmée.",
        action: Action::RecordFiling,
    },
    Form {
        name: "record_filing",
        title: "Requête déposée",
        done: "Dépôt de la requête enregistré.",
        action: Action::RecordFiling,
    },
    Form {
        name: "record_order",
        title: "Ordonnance du juge",
        done: "Ordonnance enregistrée.",
        action: Action::RecordOrderGranted,
    },
    Form {
        name: "record_service",
        title: "Signification de l'ordonnance",
        done: "Signification enregistrée.",
        action: Action::RecordService,
    },
    Form {
        name: "record_first_personal_act",
        title: "Premier acte signifié à personne",
        done: "Premier acte signifié à personne enregistré.",
        action: Action::RecordPersonalAct,
    },
    Form {
        name: "record_opposition",
        title: "Opposition du débiteur",
        done: "Opposition enregistrée.",
        action: Action::RecordOpposition,
    },
    Form {
        name: "record_enforceable",
        title: "Constater le titre exécutoire",
        done: "Titre exécutoire constaté.",
        action: Action::RecordEnforceable,
    },
    Form {
        name: "hand_over",
        title: "Transmettre pour exécution forcée",
        done: "Dossier transmis pour exécution forcée.",
        action: Action::HandOverEnforcement,
    },
    Form {
        name: "record_measure",
        title: "Mesure conservatoire ou d'exécution",
        done: "Mesure enregistrée.",
        action: Action::RecordMeasure,
    },
    Form {
        name: "record_incident",
        title: "Signaler une procédure collective, un surendettement, un décès ou une dissolution",
        done: "Événement enregistré : relances et actes s'arrêtent.",
        action: Action::RecordIncident,
    },
    Form {
        name: "answer_dispute",
        title: "Répondre à la contestation",
        done: "Réponse à la contestation enregistrée.",
        action: Action::AnswerDispute,
    },
    Form {
        name: "decide_plan",
        title: "Se prononcer sur l'échéancier proposé",
        done: "Décision sur l'échéancier enregistrée.",
        action: Action::DecidePlan,
    },
    Form {
        name: "withdraw",
        title: "Retirer le dossier",
        done: "Dossier retiré.",
        action: Action::Withdraw,
    },
];

/// Forms of one item of the page (a task, a piece), posted like the others with the item's
/// id; their names and the words of the message shown once done.
pub const ITEM_FORMS: &[(&str, &str)] = &[
    ("complete_task", "Tâche terminée"),
    ("withdraw_piece", "Pièce retirée du dossier"),
    ("move_piece", "Ordre des pièces modifié"),
    (
        "prepare_declaration",
        "Déclaration de créance produite : à signer et envoyer en recommandé",
    ),
    ("declare_claim", "Déclaration de créance enregistrée"),
    (
        "notary_letter",
        "Courrier au notaire produit : à poster (voir les tâches)",
    ),
    ("decide_claim", "Décision du juge-commissaire enregistrée"),
    ("end_incident", "Décision enregistrée"),
];

/// Rows of the payment plan form (instalments left empty are no instalment).
pub const PLAN_ROWS: usize = 12;

/// The forms this user may use on a case in this state (the workflow's own rules).
pub fn available(role: Role, state: CaseState) -> Vec<&'static Form> {
    FORMS
        .iter()
        .filter(|f| crate::domain::workflow::decide(role, state, f.action).is_ok())
        .collect()
}

fn text<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map(|s| s.trim()).unwrap_or("")
}

fn date(form: &HashMap<String, String>, key: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text(form, key), "%Y-%m-%d")
        .map_err(|_| AppError::validation(key, "saisissez une date valide"))
}

/// The id of the item a form acts on (a task, a piece).
fn item(form: &HashMap<String, String>, key: &str) -> AppResult<i64> {
    text(form, key)
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found(key))
}

fn version(form: &HashMap<String, String>) -> Option<i32> {
    text(form, "version").parse().ok()
}

/// Runs a form's use case. `Ok` when done; the error names the field when it can.
pub fn run(
    conn: &mut DbConn,
    state: &AppState,
    actor: &Actor,
    case_id: i64,
    name: &str,
    form: &HashMap<String, String>,
) -> AppResult<()> {
    let clock = &state.clock;
    let blobs = state.jobs.blobs.as_ref();
    let v = version(form);
    match name {
        "accept" => crate::cases::actions::accept(conn, clock, actor, case_id, v).map(drop),
        "reject" => {
            crate::cases::actions::reject(conn, clock, actor, case_id, text(form, "reason"), v)
                .map(drop)
        }
        "withdraw" => {
            // Irreversible: the form asks to confirm it.
            if text(form, "confirm") != "on" {
                return Err(AppError::validation(
                    "confirm",
                    "Cochez la case pour confirmer le retrait du dossier.",
                ));
            }
            crate::cases::actions::withdraw(conn, clock, actor, case_id, text(form, "reason"), v)
                .map(drop)
        }
        "answer_dispute" => crate::recovery::arrangements::answer_dispute(
            conn,
            clock,
            actor,
            case_id,
            text(form, "answer"),
            v,
        )
        .map(drop),
        "assign" => {
            let agent = text(form, "agent")
                .parse()
                .map_err(|_| AppError::validation("agent", "choisissez un gestionnaire"))?;
            crate::cases::actions::assign(conn, clock, actor, case_id, agent, v).map(drop)
        }
        "record_promise" => crate::recovery::arrangements::record_promise(
            conn,
            clock,
            actor,
            case_id,
            date(form, "pay_by")?,
            &crate::domain::money::normalise_amount(text(form, "amount")),
            v,
        )
        .map(drop),
        "propose_plan" => {
            let mut rows = Vec::new();
            for i in 0..PLAN_ROWS {
                let (d, a) = (format!("due_on_{i}"), format!("amount_{i}"));
                if text(form, &d).is_empty() && text(form, &a).is_empty() {
                    continue;
                }
                rows.push(crate::recovery::arrangements::InstalmentInput {
                    due_on: date(form, &d)?,
                    amount: crate::domain::money::normalise_amount(text(form, &a)),
                });
            }
            crate::recovery::arrangements::propose_plan(
                conn,
                clock,
                actor,
                case_id,
                &rows,
                text(form, "note"),
                v,
            )
            .map(drop)
        }
        "raise_dispute" => {
            let reason = crate::recovery::arrangements::DisputeReason::parse(text(form, "reason"))
                .map_err(|_| AppError::validation("reason", "choisissez le motif"))?;
            crate::recovery::arrangements::raise_dispute(
                conn,
                clock,
                actor,
                case_id,
                reason,
                text(form, "details"),
                v,
            )
            .map(drop)
        }
        "resolve_dispute" => {
            use crate::domain::workflow::Outcome;
            let resolution = match text(form, "decision") {
                "resume" => crate::recovery::arrangements::Resolution::Resume,
                "settled" => crate::recovery::arrangements::Resolution::Close(Outcome::Settled),
                "withdrawn" => crate::recovery::arrangements::Resolution::Close(Outcome::Withdrawn),
                "unrecoverable" => {
                    crate::recovery::arrangements::Resolution::Close(Outcome::Unrecoverable)
                }
                _ => return Err(AppError::validation("decision", "choisissez l'issue")),
            };
            crate::recovery::arrangements::resolve_dispute(
                conn,
                clock,
                actor,
                case_id,
                resolution,
                text(form, "note"),
                v,
            )
            .map(drop)
        }
        "record_delivery" => crate::recovery::notice::record_delivery(
            conn,
            clock,
            actor,
            case_id,
            date(form, "delivered_on")?,
            v,
        )
        .map(drop),
        "record_first_personal_act" => crate::legal::procedure::record_first_personal_act(
            conn,
            clock,
            actor,
            case_id,
            date(form, "date")?,
            v,
        )
        .map(drop),
        "complete_task" => {
            let task = item(form, "task")?;
            // The task must be this case's: another id answers like a missing one.
            match crate::store::tasks::find(conn, task)? {
                Some(t) if t.case_id == case_id => {}
                _ => return Err(AppError::not_found("task")),
            }
            let note = Some(text(form, "note")).filter(|n| !n.is_empty());
            crate::recovery::queue::complete_task(conn, clock, actor, task, note).map(drop)
        }
        "withdraw_piece" => {
            let piece = item(form, "piece")?;
            match crate::store::evidence::find(conn, piece)? {
                Some(p) if p.case_id == case_id => {}
                _ => return Err(AppError::not_found("piece")),
            }
            crate::evidence::withdraw_piece(conn, clock, actor, piece, text(form, "reason"))
                .map(drop)
        }
        "move_piece" => {
            // One step up or down in the exhibit list: the whole new order goes to the same
            // use case as `reorderExhibits`.
            let piece = item(form, "piece")?;
            let mut order: Vec<i64> = crate::store::evidence::of_case(conn, case_id)?
                .into_iter()
                .filter(|p| p.withdrawn_at.is_none())
                .map(|p| p.id)
                .collect();
            let at = order
                .iter()
                .position(|&p| p == piece)
                .ok_or_else(|| AppError::not_found("piece"))?;
            let other = match text(form, "direction") {
                "up" => at.checked_sub(1),
                "down" => Some(at + 1).filter(|&i| i < order.len()),
                _ => return Err(AppError::validation("direction", "vers le haut ou le bas")),
            };
            if let Some(other) = other {
                order.swap(at, other);
            }
            crate::evidence::reorder_exhibits(conn, clock, actor, case_id, &order).map(drop)
        }
        "decide_plan" => {
            let accept = match text(form, "decision") {
                "accept" => true,
                "refuse" => false,
                _ => return Err(AppError::validation("decision", "acceptez ou refusez")),
            };
            crate::recovery::arrangements::decide_plan(conn, clock, actor, case_id, accept, v)
                .map(drop)
        }
        "log_call" => {
            let outcome = CallOutcome::parse(text(form, "outcome"))
                .map_err(|_| AppError::validation("outcome", "choisissez l'issue de l'appel"))?;
            crate::recovery::arrangements::log_call(
                conn,
                clock,
                actor,
                case_id,
                outcome,
                text(form, "notes"),
                v,
            )
            .map(drop)
        }
        "record_payment" => {
            let method = PaymentMethod::parse(text(form, "method"))
                .map_err(|_| AppError::validation("method", "choisissez le moyen de paiement"))?;
            let input = crate::recovery::payments::PaymentInput {
                case_id,
                received_on: date(form, "received_on")?,
                amount: crate::domain::money::normalise_amount(text(form, "amount")),
                method,
                reference: Some(text(form, "reference").to_string()).filter(|r| !r.is_empty()),
                invoice_id: None,
                expected_version: v,
            };
            crate::recovery::payments::record_payment(conn, clock, blobs, actor, &input).map(drop)
        }
        "prepare_formal_notice" => {
            crate::recovery::notice::prepare(conn, clock, blobs, actor, case_id, v).map(drop)
        }
        "post_formal_notice" => crate::recovery::notice::post(
            conn,
            clock,
            actor,
            case_id,
            date(form, "posted_on")?,
            text(form, "tracking"),
            v,
        )
        .map(drop),
        "refer" => {
            let lawyer = text(form, "lawyer")
                .parse()
                .map_err(|_| AppError::validation("lawyer", "choisissez un avocat"))?;
            crate::legal::refer(conn, clock, actor, case_id, lawyer, v).map(drop)
        }
        "confirm_court" => {
            let kind = match text(form, "kind") {
                "commercial_court" => CourtKind::CommercialCourt,
                "economic_activities_court" => CourtKind::EconomicActivitiesCourt,
                "judicial_court" => CourtKind::JudicialCourt,
                _ => return Err(AppError::validation("kind", "choisissez la juridiction")),
            };
            let choice = crate::legal::CourtChoice {
                kind,
                name: text(form, "name").to_string(),
                transfer_on_opposition: form.contains_key("transfer"),
            };
            crate::legal::confirm_court(conn, clock, actor, case_id, &choice).map(drop)
        }
        "record_filing" => crate::legal::procedure::record_filing(
            conn,
            clock,
            actor,
            case_id,
            date(form, "filed_on")?,
            text(form, "reference"),
            v,
        )
        .map(drop),
        "record_order" => {
            let outcome = match text(form, "outcome") {
                "granted" => OrderOutcome::Granted,
                "partially_granted" => OrderOutcome::PartiallyGranted,
                "rejected" => OrderOutcome::Rejected,
                _ => return Err(AppError::validation("outcome", "choisissez la décision")),
            };
            let amount = Some(text(form, "amount"))
                .filter(|a| !a.is_empty())
                .map(|a| {
                    crate::domain::money::parse_amount(&crate::domain::money::normalise_amount(a))
                        .map_err(|e| AppError::validation("amount", e.0))
                })
                .transpose()?;
            crate::legal::procedure::record_order(
                conn,
                clock,
                actor,
                case_id,
                date(form, "date")?,
                outcome,
                amount,
                v,
            )
            .map(drop)
        }
        "record_service" => crate::legal::procedure::record_service(
            conn,
            clock,
            actor,
            case_id,
            date(form, "served_on")?,
            form.contains_key("in_person"),
            None,
            v,
        )
        .map(drop),
        "record_opposition" => crate::legal::procedure::record_opposition(
            conn,
            clock,
            actor,
            case_id,
            date(form, "opposed_on")?,
            v,
        )
        .map(drop),
        "record_enforceable" => {
            crate::legal::procedure::record_enforceable(conn, clock, actor, case_id, v).map(drop)
        }
        "hand_over" => crate::legal::procedure::hand_over(
            conn,
            clock,
            actor,
            case_id,
            date(form, "date")?,
            text(form, "officer"),
            v,
        )
        .map(drop),
        "record_incident" => {
            let kind = IncidentKind::parse(text(form, "incident_kind"))
                .map_err(|_| AppError::validation("incident_kind", "choisissez l'événement"))?;
            let optional = |key: &str| Some(text(form, key).to_string()).filter(|t| !t.is_empty());
            let published_on = match text(form, "published_on") {
                "" => None,
                _ => Some(date(form, "published_on")?),
            };
            let input = crate::cases::incidents::IncidentInput {
                kind,
                occurred_on: date(form, "occurred_on")?,
                published_on,
                court: optional("court"),
                reference: optional("reference"),
                representative: optional("representative"),
                creditor_abroad: !text(form, "creditor_abroad").is_empty(),
                long_term_loan: !text(form, "long_term_loan").is_empty(),
            };
            crate::cases::incidents::record(conn, clock, actor, case_id, &input, v).map(drop)
        }
        "declare_claim"
        | "end_incident"
        | "prepare_declaration"
        | "decide_claim"
        | "notary_letter" => {
            let incident = item(form, "incident")?;
            // The incident must be this case's: another id answers like a missing one.
            match crate::store::incidents::find(conn, incident)? {
                Some(i) if i.case_id == case_id => {}
                _ => return Err(AppError::not_found("incident")),
            }
            let optional = |key: &str| Some(text(form, key)).filter(|t| !t.is_empty());
            if name == "prepare_declaration" {
                crate::cases::incidents::prepare_declaration(
                    conn,
                    clock,
                    blobs,
                    actor,
                    incident,
                    optional("security"),
                )
                .map(drop)
            } else if name == "notary_letter" {
                crate::cases::incidents::prepare_notary_letter(
                    conn,
                    clock,
                    blobs,
                    actor,
                    incident,
                    optional("notary"),
                )
                .map(drop)
            } else if name == "decide_claim" {
                let decision =
                    ClaimDecision::parse(text(form, "claim_decision")).map_err(|_| {
                        AppError::validation("claim_decision", "choisissez la décision")
                    })?;
                crate::cases::incidents::record_claim_decision(
                    conn,
                    clock,
                    actor,
                    incident,
                    decision,
                    date(form, "decided_on")?,
                    Some(&crate::domain::money::normalise_amount(text(
                        form, "amount",
                    ))),
                )
                .map(drop)
            } else if name == "declare_claim" {
                crate::cases::incidents::record_declaration(
                    conn,
                    clock,
                    actor,
                    incident,
                    date(form, "declared_on")?,
                    optional("tracking"),
                )
                .map(drop)
            } else {
                let end = IncidentEnd::parse(text(form, "end"))
                    .map_err(|_| AppError::validation("end", "choisissez la décision"))?;
                let note = Some(text(form, "note")).filter(|n| !n.is_empty());
                crate::cases::incidents::end(
                    conn,
                    clock,
                    actor,
                    incident,
                    date(form, "ended_on")?,
                    end,
                    note,
                )
                .map(drop)
            }
        }
        "record_measure" => {
            let kind = MeasureKind::parse(text(form, "kind"))
                .map_err(|_| AppError::validation("kind", "choisissez la mesure"))?;
            crate::legal::procedure::record_measure(
                conn,
                clock,
                actor,
                case_id,
                kind,
                date(form, "date")?,
                text(form, "officer"),
                Some(text(form, "reference")),
                v,
            )
            .map(drop)
        }
        _ => Err(AppError::not_found("page")),
    }
}
