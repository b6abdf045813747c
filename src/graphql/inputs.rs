//! Input types of the mutations and list filters, and their conversion to use-case inputs.

use chrono::NaiveDate;
use juniper::{GraphQLInputObject, ID};

use super::scalars::{
    id_field, opt_id_field, parse_id, CaseStateGql, DebtorKindGql, DecimalText, OrgKindGql,
    PaymentMethodGql, RoleGql,
};
use crate::admin::{
    MandateInput as MandateUc, OrganisationInput as OrganisationUc, UserInput as UserUc,
};
use crate::cases::intake::{
    DebtorInput as DebtorUc, InvoiceInput as InvoiceUc, OpenCaseInput as OpenCaseUc,
};
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult};

#[derive(GraphQLInputObject)]
pub struct AddressInput {
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166 alpha-2 code; FR when omitted.
    pub country: Option<String>,
}

#[derive(GraphQLInputObject)]
pub struct OrganisationInput {
    pub kind: OrgKindGql,
    pub name: String,
    pub legal_form: String,
    /// 9 digits (spaces allowed), checked with the Luhn key.
    pub siren: String,
    pub address: AddressInput,
}

impl OrganisationInput {
    pub fn into_uc(self) -> OrganisationUc {
        OrganisationUc {
            kind: self.kind.into(),
            name: self.name,
            legal_form: self.legal_form,
            siren: self.siren,
            address_line1: self.address.line1,
            address_line2: self.address.line2,
            postal_code: self.address.postal_code,
            city: self.address.city,
            country: self.address.country,
        }
    }
}

#[derive(GraphQLInputObject)]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    pub role: RoleGql,
    /// Required for a creditor user: its creditor organisation.
    pub organisation_id: Option<ID>,
    /// At least 12 characters; generated and returned once when omitted.
    pub password: Option<String>,
    /// Whether the password must be changed at the first sign-in (default true; always so
    /// for a generated one).
    pub provisional: Option<bool>,
}

impl UserInput {
    pub fn into_uc(self) -> AppResult<UserUc> {
        Ok(UserUc {
            email: self.email,
            display_name: self.display_name,
            role: self.role.into(),
            organisation_id: opt_id_field(
                self.organisation_id,
                "organisationId",
                "unknown organisation",
            )?,
            password: self.password,
            provisional: self.provisional.unwrap_or(true),
        })
    }
}

#[derive(GraphQLInputObject)]
pub struct MandateInput {
    pub organisation_id: ID,
    pub signed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Commission in basis points (1250 = 12.50 %).
    pub commission_bps: i32,
    /// The mandate's terms: claim components, fee, remittance of funds (CPCE R124-3).
    pub terms: String,
    /// The mandate grants the agency the special power to declare the creditor's claims in a
    /// collective proceeding (false when omitted).
    pub declares_claims: Option<bool>,
}

impl MandateInput {
    pub fn into_uc(self) -> AppResult<MandateUc> {
        Ok(MandateUc {
            organisation_id: id_field(
                &self.organisation_id,
                "organisationId",
                "unknown organisation",
            )?,
            signed_on: self.signed_on,
            ends_on: self.ends_on,
            commission_bps: self.commission_bps,
            terms: self.terms,
            declares_claims: self.declares_claims.unwrap_or(false),
        })
    }
}

#[derive(GraphQLInputObject)]
pub struct DebtorInput {
    pub kind: DebtorKindGql,
    /// Company name, or surname of an individual.
    pub name: String,
    pub first_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub address: AddressInput,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Whether the debtor acts as a consumer; true by default for an individual.
    pub is_consumer: Option<bool>,
}

#[derive(GraphQLInputObject)]
pub struct InvoiceInput {
    /// Unique within the case.
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Amount including VAT, e.g. "1200.00".
    pub amount: DecimalText,
    /// Already paid before the case was opened.
    pub already_paid: Option<DecimalText>,
}

#[derive(GraphQLInputObject)]
pub struct OpenCaseInput {
    /// The creditor organisation; a creditor user may omit it (its own).
    pub creditor_id: Option<ID>,
    pub debtor: DebtorInput,
    pub invoices: Vec<InvoiceInput>,
    pub note: Option<String>,
    /// Between professionals, a late-payment rate agreed in the contract, in percent per year
    /// (e.g. "15.00"); raised to three times the legal rate when below (C. com. L441-10 II).
    /// Without it, the ECB rate + 10 points applies.
    pub contractual_rate: Option<String>,
}

impl OpenCaseInput {
    pub fn into_uc(self) -> AppResult<OpenCaseUc> {
        let d = self.debtor;
        Ok(OpenCaseUc {
            creditor_id: opt_id_field(
                self.creditor_id,
                "creditorId",
                "unknown creditor organisation",
            )?,
            debtor: DebtorUc {
                kind: d.kind.into(),
                name: d.name,
                first_name: d.first_name,
                legal_form: d.legal_form,
                siren: d.siren,
                address_line1: d.address.line1,
                address_line2: d.address.line2,
                postal_code: d.address.postal_code,
                city: d.address.city,
                country: d.address.country,
                email: d.email,
                phone: d.phone,
                is_consumer: d.is_consumer,
            },
            invoices: self
                .invoices
                .into_iter()
                .map(|i| InvoiceUc {
                    number: i.number,
                    issue_date: i.issue_date,
                    due_date: i.due_date,
                    amount: i.amount.0,
                    already_paid: i.already_paid.map(|p| p.0),
                })
                .collect(),
            note: self.note,
            contractual_rate: self.contractual_rate,
        })
    }
}

/// Filters of the `cases` list; all optional, combined with AND.
#[derive(GraphQLInputObject, Default)]
pub struct CaseFilterInput {
    /// Any of these states.
    pub states: Option<Vec<CaseStateGql>>,
    pub creditor_id: Option<ID>,
    pub assigned_agent_id: Option<ID>,
    /// Part of the reference, of the debtor's names or of an invoice number, or the debtor's
    /// SIREN (spaces allowed), ignoring case and accents.
    pub text: Option<String>,
}

impl CaseFilterInput {
    pub fn into_store(self) -> AppResult<crate::store::cases::CaseFilter> {
        Ok(crate::store::cases::CaseFilter {
            states: self
                .states
                .unwrap_or_default()
                .into_iter()
                .map(|s| CaseState::from(s).as_str().to_string())
                .collect(),
            creditor_org_id: opt_id_field(self.creditor_id, "filter.creditorId", "not an id")?,
            assigned_agent_id: opt_id_field(
                self.assigned_agent_id,
                "filter.assignedAgentId",
                "not an id",
            )?,
            text: self
                .text
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .map(|t| t.chars().take(100).collect()),
        })
    }
}

/// Checks `first` and decodes `after` (`prefix:id` in base64).
pub fn page_args(
    first: Option<i32>,
    after: Option<String>,
    prefix: &str,
) -> AppResult<(i64, Option<i64>)> {
    let first = first.unwrap_or(20);
    if !(1..=super::MAX_PAGE).contains(&first) {
        return Err(AppError::validation(
            "first",
            format!("between 1 and {}", super::MAX_PAGE),
        ));
    }
    let after = after.map(|c| decode_cursor(&c, prefix)).transpose()?;
    Ok((i64::from(first), after))
}

pub fn encode_cursor(prefix: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{prefix}:{id}"))
}

fn decode_cursor(cursor: &str, prefix: &str) -> AppResult<i64> {
    use base64::Engine;
    let bad = || AppError::validation("after", "not a cursor of this list");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    text.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix(':'))
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(bad)
}

/// Parses a case id argument.
pub fn parse_case_id(id: &ID) -> AppResult<i64> {
    parse_id(id, "case")
}

#[derive(GraphQLInputObject)]
pub struct PaymentInput {
    pub case_id: ID,
    pub received_on: NaiveDate,
    /// e.g. "250.00".
    pub amount: DecimalText,
    pub method: PaymentMethodGql,
    /// Bank reference, cheque number…
    pub reference: Option<String>,
    /// The invoice the debtor said it pays (C. civ. 1342-10); oldest due first otherwise.
    pub invoice_id: Option<ID>,
    pub expected_version: Option<i32>,
}

impl PaymentInput {
    pub fn into_uc(self) -> AppResult<crate::recovery::payments::PaymentInput> {
        Ok(crate::recovery::payments::PaymentInput {
            case_id: parse_case_id(&self.case_id)?,
            received_on: self.received_on,
            amount: self.amount.0,
            method: self.method.into(),
            reference: self.reference,
            invoice_id: opt_id_field(self.invoice_id, "invoiceId", "not an invoice of this case")?,
            expected_version: self.expected_version,
        })
    }
}
