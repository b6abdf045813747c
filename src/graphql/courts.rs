//! GraphQL types of the court directory (CPC 1406) and of the lawyer's profile (the requête's
//! filer, CPC 1407).

use chrono::NaiveDate;
use juniper::{GraphQLInputObject, GraphQLObject};

use super::legal::CourtKindGql;
use crate::domain::legal::courts::{Court, CourtDirectory};
use crate::store::lawyers::LawyerProfile;

/// One court of the directory.
#[derive(GraphQLObject)]
#[graphql(name = "DirectoryCourt")]
pub struct DirectoryCourtNode {
    pub id: String,
    pub kind: CourtKindGql,
    pub name: String,
    pub seat: String,
    /// The département of its seat.
    pub seat_departement: Option<String>,
    /// Départements wholly in its territory.
    pub departements: Vec<String>,
    /// How many communes its territory lists besides whole départements.
    pub commune_count: i32,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The text its seat and territory come from.
    pub source: String,
}

impl From<&Court> for DirectoryCourtNode {
    fn from(c: &Court) -> Self {
        DirectoryCourtNode {
            id: c.id.clone(),
            kind: c.kind.into(),
            name: c.name.clone(),
            seat: c.seat.clone(),
            seat_departement: c.seat_departement.clone(),
            departements: c.departements.clone(),
            commune_count: i32::try_from(c.communes.len()).unwrap_or(i32::MAX),
            valid_from: c.valid_from,
            valid_until: c.valid_until,
            source: c.source.clone(),
        }
    }
}

/// The directory of courts in force.
#[derive(GraphQLObject)]
#[graphql(name = "CourtDirectory")]
pub struct CourtDirectoryNode {
    /// Version date of the data.
    pub version: String,
    /// Where the data comes from.
    pub source: String,
    pub courts: Vec<DirectoryCourtNode>,
    /// How many communes the directory knows (to turn postal codes into communes).
    pub commune_count: i32,
}

impl From<&CourtDirectory> for CourtDirectoryNode {
    fn from(d: &CourtDirectory) -> Self {
        CourtDirectoryNode {
            version: d.version.clone(),
            source: d.source.clone(),
            courts: d.courts.iter().map(DirectoryCourtNode::from).collect(),
            commune_count: i32::try_from(d.communes.len()).unwrap_or(i32::MAX),
        }
    }
}

/// The lawyer's firm, which the requête names as its filer.
#[derive(GraphQLObject)]
#[graphql(name = "LawyerProfile")]
pub struct LawyerProfileNode {
    pub firm_name: String,
    /// The bar's town (« Lyon »: avocat au barreau de Lyon).
    pub bar: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
}

impl From<LawyerProfile> for LawyerProfileNode {
    fn from(p: LawyerProfile) -> Self {
        LawyerProfileNode {
            firm_name: p.firm_name,
            bar: p.bar,
            address_line1: p.address_line1,
            address_line2: p.address_line2,
            postal_code: p.postal_code,
            city: p.city,
        }
    }
}

/// What the lawyer enters in their profile.
#[derive(GraphQLInputObject)]
pub struct LawyerProfileInput {
    pub firm_name: String,
    pub bar: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
}

impl LawyerProfileInput {
    pub fn into_uc(self) -> crate::legal::profile::ProfileInput {
        crate::legal::profile::ProfileInput {
            firm_name: self.firm_name,
            bar: self.bar,
            address_line1: self.address_line1,
            address_line2: self.address_line2,
            postal_code: self.postal_code,
            city: self.city,
        }
    }
}
