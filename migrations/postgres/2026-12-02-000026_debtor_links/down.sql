DROP TABLE debtor_links;
