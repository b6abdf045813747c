ALTER TABLE pieces DROP COLUMN document_date;
DROP TABLE lawyer_profiles;
DROP TABLE court_directories;
