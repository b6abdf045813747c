//! One error type for every request path, mapped once to HTTP and once to GraphQL.
//!
//! The machine-readable [`ErrorCode`] is what clients branch on. Internal failures carry an
//! opaque message; their detail goes to the log only (never SQL, paths or stack traces in a
//! response).

use std::fmt;

/// Machine-readable error codes (GraphQL `extensions.code`, JSON `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    Validation,
    Conflict,
    InvalidTransition,
    Locked,
    /// The account signed in with a provisional password: only changing it is allowed
    /// (HTTP 403).
    PasswordChangeRequired,
    /// An upload above the size limits (HTTP 413).
    PayloadTooLarge,
    /// An upload of a type the archive does not accept (HTTP 415).
    UnsupportedMediaType,
    /// Stored bytes no longer match their SHA-256: never served (HTTP 500, alert logged).
    Integrity,
    /// The legal action is not open: a blocking condition of the eligibility report fails
    /// (its key in `field`).
    Ineligible,
    /// A `/graphql` request whose computed cost is above the limit (refused before execution).
    QueryTooCostly,
    /// A `/graphql` answer larger than the limit (replaced whole, never cut half-way).
    ResponseTooLarge,
    /// A request past its time budget.
    Timeout,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// Every code, for the test that checks each one is used and documented.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Validation,
        ErrorCode::Conflict,
        ErrorCode::InvalidTransition,
        ErrorCode::Locked,
        ErrorCode::PasswordChangeRequired,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Integrity,
        ErrorCode::Ineligible,
        ErrorCode::QueryTooCostly,
        ErrorCode::ResponseTooLarge,
        ErrorCode::Timeout,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    /// The wire form of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::Locked => "LOCKED",
            ErrorCode::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::Integrity => "INTEGRITY",
            ErrorCode::Ineligible => "INELIGIBLE",
            ErrorCode::QueryTooCostly => "QUERY_TOO_COSTLY",
            ErrorCode::ResponseTooLarge => "RESPONSE_TOO_LARGE",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// The HTTP status used when the error answers a plain HTTP request.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Validation => 422,
            ErrorCode::Conflict | ErrorCode::InvalidTransition | ErrorCode::Ineligible => 409,
            ErrorCode::Locked => 423,
            ErrorCode::PasswordChangeRequired => 403,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Integrity => 500,
            ErrorCode::QueryTooCostly => 400,
            ErrorCode::ResponseTooLarge => 400,
            ErrorCode::Timeout => 503,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

/// An error a user can be shown: a code, a French-or-English human message, and for
/// validation errors the path of the offending input field (e.g. `invoices[1].amount`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    /// The policy refused the caller (a role not allowed, or a record that exists but is not
    /// theirs, answered `NOT_FOUND`): recorded in the security log, never shown.
    pub refused: bool,
    /// The case a refusal concerns, when known: for the agency's eyes in the security log.
    pub refused_case: Option<i64>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            field: None,
            refused: false,
            refused_case: None,
        }
    }

    /// A refused input, naming the field path it concerns.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            code: ErrorCode::Validation,
            message: message.into(),
            field: Some(field.into()),
            refused: false,
            refused_case: None,
        }
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthenticated, message)
    }

    pub fn forbidden() -> Self {
        AppError {
            refused: true,
            ..Self::new(ErrorCode::Forbidden, "your role does not allow this action")
        }
    }

    /// The one answer for "does not exist" and "exists but is not yours" (DESIGN.md §1).
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    /// "Not found" for a record that exists but that the caller may not see: the same
    /// answer as [`AppError::not_found`], marked for the security log.
    pub fn not_visible(what: &str) -> Self {
        AppError {
            refused: true,
            ..Self::not_found(what)
        }
    }

    /// [`AppError::not_visible`] for a case, naming it for the security log only.
    pub fn case_not_visible(case_id: i64) -> Self {
        AppError {
            refused_case: Some(case_id),
            ..Self::not_visible("case")
        }
    }

    /// The same error, answered as "`what` not found" when it was a "not found" (a piece of
    /// an unseen case is itself unseen), keeping its security mark.
    pub fn as_not_found(self, what: &str) -> Self {
        match self.code {
            ErrorCode::NotFound => AppError {
                message: format!("{what} not found"),
                ..self
            },
            _ => self,
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn invalid_transition(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidTransition, message)
    }

    /// The database cannot be reached (HTTP 503): a client should retry shortly. The cause
    /// is logged by the caller, never shown.
    pub fn unavailable() -> Self {
        Self::new(
            ErrorCode::Unavailable,
            "the database is unavailable, please retry shortly",
        )
    }

    /// An unexpected failure: the detail is logged, the response says nothing of it.
    pub fn internal(detail: impl fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(ErrorCode::Internal, "internal error")
    }

    /// Prefixes the field path, so nested validation (`invoices[2]` + `amount`) reads whole.
    pub fn in_field(mut self, prefix: &str) -> Self {
        if self.code == ErrorCode::Validation {
            self.field = Some(match self.field {
                Some(f) if f.starts_with('[') => format!("{prefix}{f}"),
                Some(f) => format!("{prefix}.{f}"),
                None => prefix.to_string(),
            });
        }
        self
    }

    /// The JSON body of an HTTP error response.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::json!({ "code": self.code.as_str(), "message": self.message });
        if let Some(field) = &self.field {
            body["field"] = serde_json::Value::String(field.clone());
        }
        body
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            // The server went away under a live connection (PostgreSQL stopped, restarted or
            // failed over): the same answer as no connection at all, 503, so clients retry.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => {
                tracing::error!(error = %e, "database unavailable");
                AppError::unavailable()
            }
            e => AppError::internal(format!("database: {e}")),
        }
    }
}

impl From<r2d2::Error> for AppError {
    // No connection could be had in time: the database is down or saturated. Say so plainly
    // (503), so a client retries later; the detail goes to the log.
    fn from(e: r2d2::Error) -> Self {
        tracing::error!(error = %e, "database unavailable");
        AppError::unavailable()
    }
}

impl actix_web::ResponseError for AppError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(self.code.http_status())
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        actix_web::HttpResponse::build(self.status_code()).json(self.to_json())
    }
}

/// Result alias of the use cases.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db_error(kind: DatabaseErrorKind) -> AppError {
        AppError::from(Error::DatabaseError(
            kind,
            Box::new("server closed the connection unexpectedly on 10.0.0.7:5432".to_string()),
        ))
    }

    #[test]
    fn a_connection_lost_under_a_request_is_unavailable_and_says_nothing_internal() {
        for kind in [
            DatabaseErrorKind::ClosedConnection,
            DatabaseErrorKind::UnableToSendCommand,
        ] {
            let e = db_error(kind);
            assert_eq!(
                (e.code, e.code.http_status()),
                (ErrorCode::Unavailable, 503)
            );
            assert!(!e.message.contains("10.0.0.7"), "{e}");
        }
        let other = db_error(DatabaseErrorKind::Unknown);
        assert_eq!(other.code, ErrorCode::Internal);
        assert_eq!(other.message, "internal error");
    }
}
