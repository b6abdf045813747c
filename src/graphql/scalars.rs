//! Scalars and enums of the API, and the mapping of `AppError` to GraphQL errors.

use juniper::{FieldError, GraphQLScalar, IntoFieldError, Object, Scalar, ScalarValue, Value, ID};
use rust_decimal::Decimal;

use crate::error::AppError;

/// An exact decimal amount, always sent as a string (`"1234.56"`), never as a float.
#[derive(Debug, Clone, PartialEq, Eq, GraphQLScalar)]
#[graphql(
    name = "Decimal",
    with = decimal_scalar,
    to_output_with = ScalarValue::from_displayable,
    parse_token(String, i32)
)]
pub struct DecimalText(pub String);

impl std::fmt::Display for DecimalText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Decimal> for DecimalText {
    fn from(d: Decimal) -> Self {
        DecimalText(format!("{d:.2}"))
    }
}

mod decimal_scalar {
    use super::{DecimalText, Scalar, ScalarValue};

    // Strings and integers are accepted and checked by the use case (which names the field);
    // floats are refused: binary floating point cannot hold cents exactly.
    pub(super) fn from_input(v: &Scalar<impl ScalarValue>) -> Result<DecimalText, Box<str>> {
        if let Some(i) = v.try_to_int() {
            return Ok(DecimalText(i.to_string()));
        }
        v.try_to::<&str>()
            .map(|s| DecimalText(s.to_string()))
            .map_err(|_| "a Decimal is sent as a string such as \"1234.56\"".into())
    }
}

/// Parses an id argument; a malformed id is simply not found.
pub fn parse_id(id: &ID, what: &str) -> Result<i64, AppError> {
    id.parse::<i64>().map_err(|_| AppError::not_found(what))
}

/// Parses an id naming another record in an input; a malformed one is refused as that field
/// with the same message as an unknown one.
pub fn id_field(id: &ID, field: &str, message: &str) -> Result<i64, AppError> {
    id.parse::<i64>()
        .map_err(|_| AppError::validation(field, message))
}

/// [`id_field`] for an optional id.
pub fn opt_id_field(id: Option<ID>, field: &str, message: &str) -> Result<Option<i64>, AppError> {
    id.map(|i| id_field(&i, field, message)).transpose()
}

pub fn id_of(n: i64) -> ID {
    ID::new(n.to_string())
}

impl<S: ScalarValue> IntoFieldError<S> for AppError {
    fn into_field_error(self) -> FieldError<S> {
        let mut ext = Object::with_capacity(2);
        ext.add_field("code", Value::scalar(self.code.as_str().to_string()));
        if let Some(field) = self.field {
            ext.add_field("field", Value::scalar(field));
        }
        FieldError::new(self.message, Value::Object(ext))
    }
}

/// Declares a GraphQL enum mirroring a domain enum, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $gql:ident <=> $domain:path { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, juniper::GraphQLEnum)]
        $(#[$m])*
        pub enum $gql { $($v),+ }

        impl From<$domain> for $gql {
            fn from(d: $domain) -> Self {
                match d { $(<$domain>::$v => $gql::$v),+ }
            }
        }

        impl From<$gql> for $domain {
            fn from(g: $gql) -> Self {
                match g { $($gql::$v => <$domain>::$v),+ }
            }
        }
    };
}

pub(crate) use mirror_enum;

mirror_enum!(
    /// The role of a user.
    #[graphql(name = "Role")]
    RoleGql <=> crate::domain::parties::Role { Admin, Agent, Lawyer, Creditor }
);

mirror_enum!(
    /// The agency itself, or a creditor client.
    #[graphql(name = "OrganisationKind")]
    OrgKindGql <=> crate::domain::parties::OrgKind { Agency, Creditor }
);

mirror_enum!(
    /// A company (with a SIREN) or an individual.
    #[graphql(name = "DebtorKind")]
    DebtorKindGql <=> crate::domain::parties::DebtorKind { Company, Individual }
);

mirror_enum!(
    /// Where a case stands in its lifecycle.
    #[graphql(name = "CaseState")]
    CaseStateGql <=> crate::domain::workflow::CaseState {
        Submitted, Rejected, Amicable, PaymentPlan, FormalNotice, Disputed, Legal, Filed,
        OrderGranted, OrderRejected, Served, Opposed, Enforceable, Enforcement, Closed
    }
);

mirror_enum!(
    /// Why a case was closed.
    #[graphql(name = "CaseOutcome")]
    OutcomeGql <=> crate::domain::workflow::Outcome {
        Paid, Settled, Unrecoverable, Withdrawn, Prescribed, Rejected, HandedOver, DebtErased
    }
);

mirror_enum!(
    /// How the debtor paid.
    #[graphql(name = "PaymentMethod")]
    PaymentMethodGql <=> crate::domain::payment::PaymentMethod {
        Transfer, Card, Cheque, Cash, DirectDebit, Other
    }
);
