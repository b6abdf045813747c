-- Issue 14. The court directory an admin imported (CPC 1406: the competent court is found in
-- a directory of real courts); the newest row is in force, the embedded file when none.
CREATE TABLE court_directories (
    id BIGSERIAL PRIMARY KEY,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by BIGINT REFERENCES users (id)
);

-- The lawyer's own firm, which the requête names as its filer (CPC 1407).
CREATE TABLE lawyer_profiles (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id),
    firm_name TEXT NOT NULL,
    bar TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The date of the document itself (an invoice's, a contract's), entered at upload; the
-- bordereau dates each exhibit by it. NULL: the upload day.
ALTER TABLE pieces ADD COLUMN document_date DATE;
