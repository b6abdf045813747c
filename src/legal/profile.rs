//! The lawyer's profile: the firm that files the requête (CPC 1407 names the filer: the
//! lawyer, their firm, bar and address — not the agency). Each lawyer sets their own; the
//! dossier and the filing are refused while it is incomplete.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::documents::dossier::Filer;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};
use crate::store::lawyers::{self as store, LawyerProfile};
use crate::store::users;
use crate::validate;

/// What the lawyer enters.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub firm_name: String,
    /// The bar's town, e.g. « Lyon » (printed « avocat au barreau de Lyon »).
    pub bar: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
}

/// The caller's own profile (lawyers only).
pub fn mine(conn: &mut DbConn, actor: &Actor) -> AppResult<Option<LawyerProfile>> {
    require_lawyer(actor)?;
    Ok(store::find(conn, actor.user_id)?)
}

/// Sets the caller's own profile (lawyers only); every field but the second address line
/// is required.
pub fn set(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    input: &ProfileInput,
) -> AppResult<LawyerProfile> {
    require_lawyer(actor)?;
    let postal_code = validate::required("postalCode", &input.postal_code, 10)?;
    let profile = LawyerProfile {
        user_id: actor.user_id,
        firm_name: validate::required("firmName", &input.firm_name, 200)?,
        bar: validate::required("bar", &input.bar, 100)?,
        address_line1: validate::required("addressLine1", &input.address_line1, 200)?,
        address_line2: validate::optional("addressLine2", input.address_line2.as_deref(), 200)?,
        postal_code,
        city: validate::required("city", &input.city, 100)?,
        updated_at: clock.now(),
    };
    db::transaction(conn, |conn| {
        store::save(conn, &profile)?;
        Ok(())
    })?;
    Ok(profile)
}

fn require_lawyer(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Lawyer {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The filer the requête names: the case's lawyer with their firm. `VALIDATION` on
/// `lawyerProfile` while the lawyer has not entered it.
pub fn filer(conn: &mut DbConn, lawyer_id: i64) -> AppResult<Filer> {
    let lawyer = users::find(conn, lawyer_id)?
        .ok_or_else(|| AppError::internal("proceeding without lawyer"))?;
    let profile = store::find(conn, lawyer_id)?.ok_or_else(|| {
        AppError::validation(
            "lawyerProfile",
            "the lawyer's profile is incomplete: the requête names its filer's firm, bar and \
             address (CPC 1407); the lawyer enters them in their profile",
        )
    })?;
    let mut address_lines = vec![profile.address_line1.clone()];
    address_lines.extend(profile.address_line2.clone());
    address_lines.push(format!("{} {}", profile.postal_code, profile.city));
    Ok(Filer {
        name: format!("Maître {}", lawyer.display_name),
        capacity: capacity(&profile.bar),
        firm: Some(profile.firm_name.clone()),
        address_lines,
    })
}

/// « Avocat au barreau de Lyon » from « Lyon » (or from « Barreau de Lyon » as typed).
fn capacity(bar: &str) -> String {
    let bar = bar.trim();
    if bar.to_lowercase().starts_with("barreau") {
        format!("Avocat au b{}", &bar[1..])
    } else {
        format!("Avocat au barreau {}", crate::domain::legal::de_city(bar))
    }
}

#[cfg(test)]
mod tests {
    use super::capacity;

    #[test]
    fn the_capacity_names_the_bar_the_french_way() {
        assert_eq!(capacity("Lyon"), "Avocat au barreau de Lyon");
        assert_eq!(capacity("Le Havre"), "Avocat au barreau du Havre");
        assert_eq!(capacity("Barreau de Paris"), "Avocat au barreau de Paris");
    }
}
