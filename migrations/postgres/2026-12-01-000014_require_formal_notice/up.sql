-- Convention of the agency: whether a requête may be filed without a formal notice. No prior
-- amicable step is required for an injunction of payment (Cass., avis, 25 Sept. 2025), so by
-- default a missing notice is only a warning of the eligibility report.
ALTER TABLE agency_settings ADD COLUMN require_formal_notice BOOLEAN NOT NULL DEFAULT FALSE;
