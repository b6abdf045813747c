//! The debtor's page (issue 17): `/d/{token}`, the short link printed on the letters. No
//! account: the link, then the check question (`debtor::check`), then a session of
//! [`SESSION_MINUTES`] in a cookie scoped to that link's path — `link id.expiry.HMAC` under the
//! portal's CSRF key, so nothing is stored for it. French by default, English with
//! `?lang=en`; mobile-first, no JavaScript. Forms carry a CSRF token bound to the session (or,
//! before the check, to a nonce cookie of the same path).

use std::collections::HashMap;

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::app::AppState;
use crate::debtor::{self, Request};
use crate::error::{AppError, ErrorCode};
use crate::recovery::arrangements::DisputeReason;
use crate::store::debtor_links::DebtorLink;

use super::session::{self, CsrfToken};

/// How long the answer to the check question opens the page.
pub const SESSION_MINUTES: i64 = 30;
const SESSION: &str = "rv_debtor";
const NONCE: &str = "rv_debtor_nonce";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/d/{token}", web::get().to(show))
        .route("/d/{token}", web::post().to(answer))
        // The forms that carry files (a dispute, « J'ai déjà payé ») are multipart.
        .route(
            "/d/{token}/act/{action}",
            web::post()
                .guard(actix_web::guard::fn_guard(|ctx| {
                    ctx.head()
                        .headers()
                        .get(actix_web::http::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.starts_with("multipart/form-data"))
                }))
                .to(act_with_files),
        )
        .route("/d/{token}/act/{action}", web::post().to(act))
        .route("/d/{token}/documents/{file}", web::get().to(document));
}

#[derive(Deserialize)]
pub struct Lang {
    lang: Option<String>,
    done: Option<String>,
}

fn english(q: &Lang) -> bool {
    q.lang.as_deref() == Some("en")
}

/// The page's words in the debtor's language.
fn texts(en: bool) -> HashMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("title", "Votre dossier", "Your case"),
        ("lang_other", "English", "Français"),
        ("check_intro", "Pour protéger vos données, indiquez le code postal de l'adresse où le courrier vous a été envoyé, ou l'un des numéros de facture.", "To protect your data, type the postal code of the address the letter was sent to, or one of the invoice numbers."),
        ("answer", "Code postal ou numéro de facture", "Postal code or invoice number"),
        ("open", "Ouvrir mon dossier", "Open my case"),
        ("agency", "Agence de recouvrement", "Collection agency"),
        ("creditor", "Créancier", "Creditor"),
        ("reference", "Référence du dossier", "Case reference"),
        ("due", "Somme due aujourd'hui", "Amount due today"),
        ("principal", "Principal", "Principal"),
        ("interest", "Intérêts de retard", "Late-payment interest"),
        ("indemnity", "Indemnité forfaitaire de recouvrement", "Fixed recovery indemnity"),
        ("total", "Total dû", "Total due"),
        ("falling_due", "À échoir (pas encore exigible)", "Not yet due"),
        ("invoice", "Facture", "Invoice"),
        ("due_on", "Échéance", "Due on"),
        ("amount", "Montant", "Amount"),
        ("interest_incomplete", "Les intérêts sont comptés jusqu'au dernier jour couvert par la table des taux publiés.", "Interest is counted up to the last day covered by the published rates."),
        ("how_to_pay", "Payer par virement", "Pay by bank transfer"),
        ("beneficiary", "Bénéficiaire", "Beneficiary"),
        ("pay_reference", "Référence à indiquer", "Payment reference"),
        ("qr", "Scannez ce code avec l'application de votre banque : le virement est prérempli.", "Scan this code with your banking app: the transfer is filled in for you."),
        ("account_note", "Compte dédié aux fonds encaissés pour le compte des créanciers.", "Account dedicated to funds collected on behalf of creditors."),
        ("sent", "Courriers reçus", "Letters sent to you"),
        ("first_letter", "Premier courrier", "First letter"),
        ("reminder_letter", "Relance", "Reminder"),
        ("formal_notice", "Mise en demeure", "Formal notice"),
        ("receipt", "Quittance", "Receipt"),
        ("paid", "Paiements reçus", "Payments received"),
        ("none", "Aucun pour le moment.", "None so far."),
        ("arrangements", "Vos engagements en cours", "Your arrangements"),
        ("promise", "Promesse de paiement", "Promise to pay"),
        ("plan", "Échéancier", "Payment plan"),
        ("status_open", "en cours", "running"),
        ("status_active", "en cours", "running"),
        ("status_proposed", "en attente de l'accord du créancier", "awaiting the creditor's answer"),
        ("what_you_can_do", "Ce que vous pouvez faire", "What you can do"),
        ("do_promise", "Je m'engage à payer", "I promise to pay"),
        ("pay_by", "Au plus tard le", "By"),
        ("send", "Envoyer", "Send"),
        ("do_plan", "Proposer un paiement en plusieurs fois", "Propose to pay in instalments"),
        ("count", "Nombre de mensualités", "Number of monthly instalments"),
        ("first", "Date de la première mensualité", "Date of the first instalment"),
        ("plan_limits", "Accepté immédiatement jusqu'à {n} mensualités sur {m} mois ; au-delà, le créancier décide.", "Accepted at once up to {n} instalments over {m} months; beyond that, the creditor decides."),
        ("do_dispute", "Je conteste la créance", "I dispute the claim"),
        ("reason", "Motif", "Reason"),
        ("details", "Explications", "Details"),
        ("dispute_open", "Votre contestation est en cours d'examen : le recouvrement est suspendu.", "Your dispute is being examined: collection is paused."),
        ("do_already_paid", "J'ai déjà payé", "I have already paid"),
        ("proof", "Date, montant et moyen de paiement", "Date, amount and means of payment"),
        ("files", "Pièces jointes (facultatif)", "Attachments (optional)"),
        ("files_hint", "PDF, JPEG ou PNG (un scan ou une photo) : 3 fichiers au plus, 10 Mo chacun.", "PDF, JPEG or PNG (a scan or a photo): at most 3 files, 10 MB each."),
        ("files_again", "Choisissez de nouveau vos fichiers : un formulaire refusé ne les garde pas.", "Choose your files again: a refused form does not keep them."),
        ("pieces_sent", "Pièces que vous avez envoyées", "Files you sent"),
        ("do_reason", "Je ne peux pas payer", "I cannot pay"),
        ("do_call_back", "Être rappelé", "Be called back"),
        ("when", "Quand et à quel numéro", "When, and at which number"),
        ("do_contact", "Corriger mes coordonnées", "Correct my contact details"),
        ("new_contact", "Nouvelle adresse, e-mail ou téléphone", "New address, e-mail or phone"),
        ("closed", "Ce dossier est clos. Vous pouvez encore télécharger vos quittances.", "This case is closed. You can still download your receipts."),
        ("quality", "Qualité", "Quality"),
        ("delivery", "Livraison", "Delivery"),
        ("price", "Prix", "Price"),
        ("already_paid", "Déjà payé", "Already paid"),
        ("other", "Autre", "Other"),
        ("financial_difficulty", "Difficultés financières", "Financial difficulty"),
        ("disagreement", "Désaccord sur la facture", "Disagreement with the invoice"),
        ("invoice_not_received", "Facture non reçue", "Invoice not received"),
        ("done_promise", "Votre promesse de paiement est enregistrée. Merci.", "Your promise to pay is recorded. Thank you."),
        ("done_plan_active", "Votre échéancier est accepté : il figure ci-dessous.", "Your payment plan is accepted: it is shown below."),
        ("done_plan_proposed", "Votre proposition est transmise au créancier ; la réponse s'affichera ici.", "Your proposal was sent to the creditor; the answer will show here."),
        ("done_dispute", "Votre contestation est enregistrée ; le recouvrement est suspendu pendant son examen.", "Your dispute is recorded; collection is paused while it is examined."),
        ("done_request", "Votre message est transmis à votre gestionnaire.", "Your message was passed on to your case handler."),
        ("not_found_heading", "Lien introuvable", "Link not found"),
        ("not_found", "Ce lien n'existe pas, n'est plus valable ou le dossier est clos. Contactez l'agence indiquée sur votre courrier.", "This link does not exist, is no longer valid, or the case is closed. Contact the agency named on your letter."),
        ("locked", "Trop d'essais : réessayez dans quelques minutes.", "Too many attempts: try again in a few minutes."),
        ("expired", "Votre session a expiré : répondez de nouveau à la question.", "Your session has expired: answer the question again."),
        ("refused_form", "Ce formulaire a expiré. Rechargez la page et recommencez.", "This form has expired. Reload the page and try again."),
        ("error", "Une erreur est survenue. Veuillez réessayer plus tard.", "Something went wrong. Please try again later."),
        ("agency_incomplete", "Votre dossier ne peut pas être affiché pour le moment : contactez l'agence indiquée sur votre courrier.", "Your case cannot be shown at the moment: contact the agency named on your letter."),
        ("skip", "Aller au contenu", "Skip to content"),
        ("pay_card", "Payer par carte bancaire", "Pay by card"),
        ("card_intro", "Vous saisirez votre carte sur la page sécurisée de notre prestataire de paiement ; vous pouvez payer tout ou partie de la somme due.", "You will type your card on our payment provider's secure page; you may pay all or part of the amount due."),
        ("card_amount", "Montant à payer (€)", "Amount to pay (€)"),
        ("card_go", "Continuer vers le paiement", "Continue to payment"),
        ("card_unavailable", "Le paiement par carte est indisponible pour le moment : réessayez plus tard ou payez par virement.", "Card payment is unavailable at the moment: try again later or pay by bank transfer."),
        ("done_card", "Merci. Votre paiement par carte est en cours de confirmation par notre prestataire ; il apparaîtra ci-dessous avec sa quittance dès qu'il sera confirmé.", "Thank you. Your card payment is being confirmed by our payment provider; it will show below with its receipt as soon as it is confirmed."),
        ("done_card_cancelled", "Le paiement par carte a été abandonné : rien n'a été débité.", "The card payment was cancelled: nothing was charged."),
    ];
    pairs
        .iter()
        .map(|(k, fr, e)| (*k, if en { *e } else { *fr }))
        .collect()
}

/// The path every cookie and link of this page lives under.
fn base(token: &str) -> String {
    debtor::path(token)
}

fn suffix(en: bool) -> &'static str {
    if en {
        "?lang=en"
    } else {
        ""
    }
}

/// The link id a valid session cookie of this path names.
fn session_link(req: &HttpRequest, st: &AppState) -> Option<i64> {
    let value = req.cookie(SESSION)?.value().to_string();
    let mut parts = value.splitn(3, '.');
    let (id, exp, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let (id_n, exp_n): (i64, i64) = (id.parse().ok()?, exp.parse().ok()?);
    if !session::mac_ok(st, &format!("debtor:{id}.{exp}"), mac) {
        return None;
    }
    (exp_n > st.clock.now().and_utc().timestamp()).then_some(id_n)
}

fn secure_cookie(
    req: &HttpRequest,
    name: &'static str,
    value: String,
    path: String,
    minutes: i64,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .secure(session::secure(req))
        // Lax, not Strict: the debtor comes back from the card provider's page (another site)
        // by a top-level GET, which must find the session; POSTs carry the CSRF token anyway.
        .same_site(SameSite::Lax)
        .max_age(CookieAge::minutes(minutes))
        .finish()
}

/// The CSRF token of this page's forms: bound to the session cookie, else to a nonce cookie
/// (made here when the browser has none).
fn csrf(req: &HttpRequest, st: &AppState, token: &str) -> CsrfToken {
    if let Some(c) = req.cookie(SESSION) {
        return CsrfToken {
            value: session::mac_hex(st, &format!("debtor-form:{}", c.value())),
            cookie: None,
        };
    }
    if let Some(n) = req.cookie(NONCE).filter(|c| c.value().len() == 32) {
        return CsrfToken {
            value: session::mac_hex(st, &format!("debtor-nonce:{}", n.value())),
            cookie: None,
        };
    }
    let nonce = crate::auth::tokens::random_token(24);
    CsrfToken {
        value: session::mac_hex(st, &format!("debtor-nonce:{nonce}")),
        cookie: Some(secure_cookie(req, NONCE, nonce, base(token), 60)),
    }
}

fn csrf_ok(req: &HttpRequest, st: &AppState, posted: &str) -> bool {
    let binding = match (req.cookie(SESSION), req.cookie(NONCE)) {
        (Some(c), _) => format!("debtor-form:{}", c.value()),
        (None, Some(n)) => format!("debtor-nonce:{}", n.value()),
        (None, None) => return false,
    };
    session::mac_ok(st, &binding, posted)
}

/// A page of the debtor's side.
fn render(
    status: u16,
    template: &str,
    mut ctx: tera::Context,
    en: bool,
    csrf: &CsrfToken,
) -> HttpResponse {
    ctx.insert("t", &texts(en));
    ctx.insert("en", &en);
    super::page(status, template, ctx, None, csrf)
}

/// The message of a refusal in the page's language.
fn message(e: &AppError, en: bool) -> String {
    let t = texts(en);
    // The agency's own settings are no business of the debtor's: what to do instead.
    if e.field.as_deref() == Some("agencySettings") {
        return t["agency_incomplete"].to_string();
    }
    match e.code {
        ErrorCode::Validation | ErrorCode::Conflict | ErrorCode::InvalidTransition => {
            if en {
                crate::i18n::sentence(&e.message)
            } else {
                crate::i18n::sentence(&crate::i18n::french(&e.message))
            }
        }
        ErrorCode::Locked => t["locked"].to_string(),
        ErrorCode::NotFound => t["not_found"].to_string(),
        _ => t["error"].to_string(),
    }
}

fn error(e: &AppError, en: bool, csrf: &CsrfToken) -> HttpResponse {
    let t = texts(en);
    let mut ctx = tera::Context::new();
    let (status, heading) = match e.code {
        ErrorCode::NotFound => (404, t["not_found_heading"]),
        ErrorCode::Locked => (423, t["title"]),
        ErrorCode::Unavailable => (503, t["title"]),
        // E.g. the agency's settings lack what its letters state: said, not a server error.
        ErrorCode::Validation
        | ErrorCode::Conflict
        | ErrorCode::InvalidTransition
        | ErrorCode::Ineligible => (409, t["title"]),
        _ => (500, t["title"]),
    };
    if status == 500 {
        tracing::error!(error = %e.message, "debtor page failed");
    }
    ctx.insert("heading", heading);
    ctx.insert("message", &message(e, en));
    render(status, "portal/debtor_error.html", ctx, en, csrf)
}

fn check_form(
    status: u16,
    token: &str,
    en: bool,
    csrf: &CsrfToken,
    refused: Option<String>,
    typed: &str,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("action", &format!("{}{}", base(token), suffix(en)));
    ctx.insert("refused", &refused);
    ctx.insert("typed", typed);
    ctx.insert("other_lang", &format!("{}{}", base(token), suffix(!en)));
    render(status, "portal/debtor_check.html", ctx, en, csrf)
}

/// The link of the request's token and the session's, when they agree.
async fn link_of(
    st: &web::Data<AppState>,
    req: &HttpRequest,
    token: String,
) -> Result<(DebtorLink, bool), AppError> {
    let session = session_link(req, st);
    let (link, _) = st
        .run(move |conn, st| debtor::find(conn, st.clock.now(), &token))
        .await?;
    let signed = session == Some(link.id);
    Ok((link, signed))
}

/// The link of a page that needs the session: else the error page, or the question again.
async fn signed_link(
    st: &web::Data<AppState>,
    req: &HttpRequest,
    token: &str,
    en: bool,
    csrf: &CsrfToken,
) -> Result<DebtorLink, HttpResponse> {
    match link_of(st, req, token.to_string()).await {
        Ok((link, true)) => Ok(link),
        Ok((_, false)) => Err(check_form(
            401,
            token,
            en,
            csrf,
            Some(texts(en)["expired"].into()),
            "",
        )),
        Err(e) => Err(error(&e, en, csrf)),
    }
}

async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<Lang>,
    st: web::Data<AppState>,
) -> HttpResponse {
    let token = path.into_inner();
    let en = english(&q);
    let csrf = csrf(&req, &st, &token);
    let (link, signed) = match link_of(&st, &req, token.clone()).await {
        Ok(l) => l,
        Err(e) => return error(&e, en, &csrf),
    };
    if !signed {
        return check_form(200, &token, en, &csrf, None, "");
    }
    page_of(&st, &token, link, en, &csrf, q.done.as_deref(), None).await
}

/// A form refused on the page: which form, the message, and what was typed.
struct Refused {
    form: String,
    message: String,
    values: HashMap<String, String>,
}

async fn page_of(
    st: &web::Data<AppState>,
    token: &str,
    link: DebtorLink,
    en: bool,
    csrf: &CsrfToken,
    done: Option<&str>,
    refused: Option<Refused>,
) -> HttpResponse {
    let page = match st
        .run(move |conn, st| debtor::page(conn, &st.clock, &link))
        .await
    {
        Ok(p) => p,
        Err(e) => return error(&e, en, csrf),
    };
    let t = texts(en);
    let mut ctx = tera::Context::new();
    ctx.insert("p", &page);
    ctx.insert("base", &base(token));
    ctx.insert("q", suffix(en));
    ctx.insert("other_lang", &format!("{}{}", base(token), suffix(!en)));
    ctx.insert("today", &st.clock.today().to_string());
    let done_text = done.and_then(|d| t.get(format!("done_{d}").as_str()).copied());
    ctx.insert("done", &done_text);
    ctx.insert("reasons", &debtor::REASONS);
    ctx.insert(
        "dispute_reasons",
        &["quality", "delivery", "price", "already_paid", "other"],
    );
    if let Some((n, m)) = page.plan_limits {
        ctx.insert(
            "plan_limits",
            &t["plan_limits"]
                .replace("{n}", &n.to_string())
                .replace("{m}", &m.to_string()),
        );
    }
    let status = if refused.is_some() { 422 } else { 200 };
    let refused_name = refused.as_ref().map(|r| r.form.clone());
    ctx.insert("refused_form", &refused_name);
    ctx.insert(
        "refused_message",
        &refused.as_ref().map(|r| r.message.clone()),
    );
    // Every field a form may show back, typed or empty (the template reads them all).
    let mut typed: HashMap<String, String> =
        ["amount", "pay_by", "count", "first", "reason", "details"]
            .iter()
            .map(|k| (k.to_string(), String::new()))
            .collect();
    if let Some(r) = refused {
        typed.extend(r.values.into_iter().filter(|(k, _)| k != "csrf"));
    }
    ctx.insert("typed", &typed);
    let forms: Vec<(&str, &str)> = [
        ("promise", "do_promise"),
        ("plan", "do_plan"),
        ("dispute", "do_dispute"),
        ("already_paid", "do_already_paid"),
        ("reason", "do_reason"),
        ("call_back", "do_call_back"),
        ("contact", "do_contact"),
    ]
    .iter()
    // A refused form is shown again (with its message) even if the page would not offer it now.
    .filter(|(name, _)| page.forms.contains(name) || refused_name.as_deref() == Some(*name))
    .map(|(name, label)| (*name, t[label]))
    .collect();
    ctx.insert("forms", &forms);
    let card = st.card.as_ref().filter(|_| page.pay.is_some());
    ctx.insert("card", &card.is_some());
    let mut resp = render(status, "portal/debtor.html", ctx, en, csrf);
    if let Some(provider) = card {
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&super::csp(Some(
            &provider.checkout_origin(),
        ))) {
            resp.headers_mut()
                .insert(actix_web::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    resp
}

#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    answer: String,
}

async fn answer(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<Lang>,
    form: web::Form<AnswerForm>,
    st: web::Data<AppState>,
) -> HttpResponse {
    let token = path.into_inner();
    let en = english(&q);
    let csrf = csrf(&req, &st, &token);
    if !csrf_ok(&req, &st, &form.csrf) {
        return check_form(
            403,
            &token,
            en,
            &csrf,
            Some(texts(en)["refused_form"].into()),
            &form.answer,
        );
    }
    let ip = crate::http::client_ip(&req);
    let (t2, typed) = (token.clone(), form.answer.clone());
    let checked = st
        .run(move |conn, st| debtor::check(conn, &st.clock, &t2, &typed, ip.as_deref()))
        .await;
    match checked {
        Ok(link_id) => {
            let exp = (st.clock.now() + chrono::Duration::minutes(SESSION_MINUTES))
                .and_utc()
                .timestamp();
            let binding = format!("{link_id}.{exp}");
            let value = format!(
                "{binding}.{}",
                session::mac_hex(&st, &format!("debtor:{binding}"))
            );
            let mut resp = HttpResponse::SeeOther();
            resp.insert_header(("Location", format!("{}{}", base(&token), suffix(en))))
                .insert_header(("Cache-Control", "no-store"));
            resp.cookie(secure_cookie(
                &req,
                SESSION,
                value,
                base(&token),
                SESSION_MINUTES,
            ));
            resp.finish()
        }
        Err(e) if e.code == ErrorCode::Validation => {
            check_form(422, &token, en, &csrf, Some(message(&e, en)), &form.answer)
        }
        Err(e) if e.code == ErrorCode::Locked => {
            check_form(423, &token, en, &csrf, Some(message(&e, en)), &form.answer)
        }
        Err(e) => error(&e, en, &csrf),
    }
}

fn date(values: &HashMap<String, String>, key: &str) -> Result<NaiveDate, AppError> {
    let v = values.get(key).map(String::as_str).unwrap_or("").trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| AppError::validation(key, "give a date (day, month, year)"))
}

async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    q: web::Query<Lang>,
    form: web::Form<HashMap<String, String>>,
    st: web::Data<AppState>,
) -> HttpResponse {
    let (token, action) = path.into_inner();
    perform(
        req,
        (token, action),
        english(&q),
        form.into_inner(),
        Ok(Vec::new()),
        st,
    )
    .await
}

/// `POST /d/{token}/act/{action}` as `multipart/form-data`: the form's files (field `file`)
/// spooled while read, then the action as [`act`] does it.
async fn act_with_files(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    q: web::Query<Lang>,
    form: actix_multipart::Multipart,
    st: web::Data<AppState>,
) -> HttpResponse {
    let (token, action) = path.into_inner();
    let en = english(&q);
    let too_many = format!(
        "send at most {} files at a time",
        debtor::pieces::MAX_PER_ACTION
    );
    let too_many = crate::i18n::sentence(&if en {
        too_many
    } else {
        crate::i18n::french(&too_many)
    });
    let read = super::upload::read_form(
        form,
        &st,
        &super::upload::Rules {
            is_file: &|name| name == "file",
            max_files: debtor::pieces::MAX_PER_ACTION,
            max_file_bytes: debtor::pieces::MAX_FILE_BYTES,
            too_many: &too_many,
        },
    )
    .await;
    let (values, files) = match read {
        Ok(super::upload::Read {
            values,
            uploads,
            refused_file: None,
        }) => (values, Ok(uploads)),
        Ok(super::upload::Read {
            values,
            refused_file: Some(e),
            ..
        }) => (values, Err(e)),
        Err(e) => (HashMap::new(), Err(e)),
    };
    let files = files.and_then(|uploads| {
        uploads
            .into_iter()
            .map(|u| {
                Ok(debtor::pieces::Sent {
                    spooled: u.spool.finish().map_err(crate::evidence::blob_error)?,
                    name: u.name,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()
    });
    // A file refused while read (too large, one too many) is said next to its form.
    let files = files.map_err(|e| AppError::validation("file", e.message));
    perform(req, (token, action), en, values, files, st).await
}

/// A debtor's action, from its form's fields and files (or the refusal of its files).
async fn perform(
    req: HttpRequest,
    (token, action): (String, String),
    en: bool,
    values: HashMap<String, String>,
    files: Result<Vec<debtor::pieces::Sent>, AppError>,
    st: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf(&req, &st, &token);
    let link = match signed_link(&st, &req, &token, en, &csrf).await {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    if !csrf_ok(
        &req,
        &st,
        values.get("csrf").map(String::as_str).unwrap_or(""),
    ) {
        let r = Refused {
            form: action,
            message: texts(en)["refused_form"].into(),
            values,
        };
        return page_of(&st, &token, link, en, &csrf, None, Some(r)).await;
    }
    let files = match files {
        Ok(f) => f,
        Err(e) => {
            let r = Refused {
                form: action,
                message: message(&e, en),
                values,
            };
            return page_of(&st, &token, link, en, &csrf, None, Some(r)).await;
        }
    };
    if action == "card" {
        return card(&req, &st, &token, link, en, &csrf, values).await;
    }
    let v = values.clone();
    let l = link.clone();
    let a = action.clone();
    let result: Result<&'static str, AppError> = st
        .run(move |conn, st| {
            let text = |k: &str| v.get(k).cloned().unwrap_or_default();
            match a.as_str() {
                "promise" => {
                    let by = date(&v, "pay_by")?;
                    debtor::promise(conn, &st.clock, &l, by, &text("amount")).map(|_| "promise")
                }
                "plan" => {
                    let count = text("count").trim().parse::<u32>().map_err(|_| {
                        AppError::validation("count", "give a number of instalments")
                    })?;
                    let first = date(&v, "first")?;
                    debtor::propose_plan(conn, &st.clock, &l, count, first).map(|active| {
                        if active {
                            "plan_active"
                        } else {
                            "plan_proposed"
                        }
                    })
                }
                "dispute" => {
                    let reason = DisputeReason::parse(&text("reason")).map_err(|_| {
                        AppError::validation("reason", "choose a reason from the list")
                    })?;
                    let blobs = st.jobs.blobs.as_ref();
                    debtor::dispute(
                        conn,
                        &st.clock,
                        blobs,
                        &l,
                        (reason, &text("details")),
                        files,
                    )
                    .map(|_| "dispute")
                }
                other => {
                    let what =
                        Request::parse(other).ok_or_else(|| AppError::not_found("action"))?;
                    let said = (v.get("reason").map(String::as_str), text("details"));
                    let blobs = st.jobs.blobs.as_ref();
                    debtor::request(conn, &st.clock, blobs, &l, what, (said.0, &said.1), files)
                        .map(|_| "request")
                }
            }
        })
        .await;
    match result {
        Ok(done) => {
            let sep = if en { "&" } else { "?" };
            HttpResponse::SeeOther()
                .insert_header((
                    "Location",
                    format!("{}{}{sep}done={done}#top", base(&token), suffix(en)),
                ))
                .finish()
        }
        Err(e)
            if matches!(
                e.code,
                ErrorCode::Validation | ErrorCode::Conflict | ErrorCode::InvalidTransition
            ) =>
        {
            let r = Refused {
                form: action,
                message: message(&e, en),
                values,
            };
            page_of(&st, &token, link, en, &csrf, None, Some(r)).await
        }
        Err(e) => error(&e, en, &csrf),
    }
}

/// `POST /d/{token}/act/card`: writes the card payment, asks the provider for its checkout
/// and sends the debtor there; the payment is recorded when the provider confirms it
/// (`/webhooks/stripe`). Refused (amount, state) or unavailable provider: the page again, with
/// what was typed and why.
async fn card(
    req: &HttpRequest,
    st: &web::Data<AppState>,
    token: &str,
    link: DebtorLink,
    en: bool,
    csrf: &CsrfToken,
    values: HashMap<String, String>,
) -> HttpResponse {
    let refuse = |message: String, values: HashMap<String, String>| Refused {
        form: "card".into(),
        message,
        values,
    };
    let Some(provider) = st.card.clone() else {
        let r = refuse(texts(en)["card_unavailable"].into(), values);
        return page_of(st, token, link, en, csrf, None, Some(r)).await;
    };
    let amount = values.get("amount").cloned().unwrap_or_default();
    let (l, name) = (link.clone(), provider.name());
    let started = st
        .run(move |conn, st| debtor::card::start(conn, &st.clock, &l, name, &amount))
        .await;
    let started = match started {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.code,
                ErrorCode::Validation | ErrorCode::Conflict | ErrorCode::InvalidTransition
            ) =>
        {
            let r = refuse(message(&e, en), values);
            return page_of(st, token, link, en, csrf, None, Some(r)).await;
        }
        Err(e) => return error(&e, en, csrf),
    };
    // The provider sends the debtor back to the address they came from.
    let back = format!("{}{}", super::site_base(req, st), base(token));
    let sep = if en { "&" } else { "?" };
    let request = crate::card::CheckoutRequest {
        card_payment_id: started.id,
        amount_cents: started.amount_cents,
        case_reference: started.reference.clone(),
        description: format!("{} — dossier {}", started.creditor, started.reference),
        success_url: format!("{back}{}{sep}done=card#top", suffix(en)),
        cancel_url: format!("{back}{}{sep}done=card_cancelled#top", suffix(en)),
        locale: if en { "en" } else { "fr" },
    };
    let opened = provider.checkout(&request).await;
    let id = started.id;
    match opened {
        Ok(checkout) => {
            let session = checkout.session_id.clone();
            if let Err(e) = st
                .run(move |conn, st| debtor::card::opened(conn, &st.clock, id, &session))
                .await
            {
                return error(&e, en, csrf);
            }
            HttpResponse::SeeOther()
                .insert_header(("Location", checkout.url))
                .insert_header(("Cache-Control", "no-store"))
                .finish()
        }
        Err(why) => {
            tracing::warn!(card_payment = id, error = %why, "the card provider refused a checkout");
            if let Err(e) = st
                .run(move |conn, st| debtor::card::failed(conn, &st.clock, id, &why))
                .await
            {
                return error(&e, en, csrf);
            }
            let r = refuse(texts(en)["card_unavailable"].into(), values);
            page_of(st, token, link, en, csrf, None, Some(r)).await
        }
    }
}

async fn document(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    q: web::Query<Lang>,
    st: web::Data<AppState>,
) -> HttpResponse {
    let (token, file) = path.into_inner();
    let en = english(&q);
    let csrf = csrf(&req, &st, &token);
    let link = match signed_link(&st, &req, &token, en, &csrf).await {
        Ok(l) => l,
        Err(resp) => return resp,
    };
    let Some(id) = file
        .strip_suffix(".pdf")
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return error(&AppError::not_found("document"), en, &csrf);
    };
    match st
        .run(move |conn, st| debtor::document(conn, &st.clock, st.jobs.blobs.as_ref(), &link, id))
        .await
    {
        Ok((doc, bytes)) => HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header((
                "Content-Disposition",
                format!("inline; filename=\"{}\"", doc.filename),
            ))
            .body(bytes),
        Err(e) => error(&e, en, &csrf),
    }
}

/// `POST /portal/cases/{id}/debtor-link` (agency staff): `action=issue` revokes the case's
/// links and shows a new one, once; `action=revoke` ends them all.
pub async fn staff_link(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = super::admin::posted_or_return!(req, state, form);
    let actor = s.actor;
    let case_id = path.into_inner();
    let issue = match form.get("action").map(String::as_str) {
        Some("issue") => true,
        Some("revoke") => false,
        _ => return super::error_page(&AppError::not_found("action"), Some(&s), &csrf),
    };
    let done = state
        .run_as(actor, "POST /portal/cases/debtor-link", move |conn, st| {
            debtor::renew(conn, &st.clock, &actor, case_id, issue)
        })
        .await;
    match done {
        Ok(debtor::Renewed {
            token,
            revoked,
            reference,
        }) => {
            let mut ctx = tera::Context::new();
            ctx.insert(
                "url",
                &token.map(|t| format!("{}{}", super::site_base(&req, &state), debtor::path(&t))),
            );
            ctx.insert("revoked", &revoked);
            ctx.insert("reference", &reference);
            ctx.insert("case_id", &case_id);
            super::page(200, "portal/debtor_link.html", ctx, Some(&s), &csrf)
        }
        Err(e) => super::error_page(&e, Some(&s), &csrf),
    }
}
