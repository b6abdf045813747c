DROP TABLE agenda_feeds;
