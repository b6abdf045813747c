//! Lawyers' profiles: the firm a lawyer files for (the requête's filer, CPC 1407).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::lawyer_profiles;
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = lawyer_profiles)]
#[diesel(treat_none_as_null = true)]
pub struct LawyerProfile {
    pub user_id: i64,
    pub firm_name: String,
    pub bar: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<LawyerProfile>> {
    lawyer_profiles::table
        .find(user_id)
        .select(LawyerProfile::as_select())
        .first(conn)
        .optional()
}

/// Writes the profile (one row per lawyer: updated, or inserted the first time).
pub fn save(conn: &mut DbConn, profile: &LawyerProfile) -> QueryResult<()> {
    let n = diesel::update(lawyer_profiles::table.find(profile.user_id))
        .set(profile)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(lawyer_profiles::table)
            .values(profile)
            .execute(conn)?;
    }
    Ok(())
}
