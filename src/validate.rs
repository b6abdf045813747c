//! Input checks shared by the use cases: each returns a `VALIDATION` error naming its field.

use crate::domain::ids::{Email, Siren};
use crate::error::{AppError, AppResult};

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::validation(field, "this field is required"));
    }
    limit(field, v, max)
}

/// An optional text: trimmed, empty means absent.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => limit(field, v, max).map(Some),
        None => Ok(None),
    }
}

fn limit(field: &str, v: &str, max: usize) -> AppResult<String> {
    if v.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("at most {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::validation(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(v.to_string())
}

pub fn siren(field: &str, value: &str) -> AppResult<String> {
    Siren::parse(value)
        .map(|s| s.as_str().to_string())
        .map_err(|e| AppError::validation(field, e.0))
}

pub fn email(field: &str, value: &str) -> AppResult<String> {
    Email::parse(value)
        .map(|e| e.as_str().to_string())
        .map_err(|e| AppError::validation(field, e.0))
}

/// An ISO 3166 alpha-2 country code, upper-cased; France when absent.
pub fn country(field: &str, value: Option<&str>) -> AppResult<String> {
    let c = value
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("FR")
        .to_uppercase();
    if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Err(AppError::validation(
            field,
            "a two-letter country code such as FR",
        ));
    }
    Ok(c)
}

/// A postal code; in France exactly five digits.
pub fn postal_code(field: &str, value: &str, country: &str) -> AppResult<String> {
    let v = required(field, value, 16)?;
    if country == "FR" && (v.len() != 5 || !v.chars().all(|c| c.is_ascii_digit())) {
        return Err(AppError::validation(
            field,
            "a French postal code has 5 digits",
        ));
    }
    Ok(v)
}

/// A postal address, checked field by field.
#[derive(Debug, Clone)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

/// Checks an address; `prefix` is the field path of the address (e.g. `debtor.address`).
pub fn address(
    prefix: &str,
    line1: &str,
    line2: Option<&str>,
    postal: &str,
    city: &str,
    country_code: Option<&str>,
) -> AppResult<Address> {
    let f = |name: &str| format!("{prefix}.{name}");
    let country = country(&f("country"), country_code)?;
    Ok(Address {
        line1: required(&f("line1"), line1, 200)?,
        line2: optional(&f("line2"), line2, 200)?,
        postal_code: postal_code(&f("postalCode"), postal, &country)?,
        city: required(&f("city"), city, 100)?,
        country,
    })
}
